import type { DbOrTx } from '@handoff/db';
import { forbidden } from '../domain/errors.ts';
import type { SpaceRole, SpaceRow, UserRow } from '../domain/model.ts';
import { requireSpace, roleIn, selfServiceAllowed } from './access.ts';

const raisesOwnRole = () => forbidden('You cannot change your own membership in a way that gives you more rights than you have.');

/**
 * May `user` set `targetUserId`'s explicit role in the space to `role` (null: remove it)?
 * Space admins may change anyone's; anyone may leave a space (remove their own membership), and
 * no change a person makes to their own membership may raise their own rights (see
 * `selfServiceAllowed`). Returns the space; throws 404 for a space the caller cannot see, 403 else.
 */
export async function authorizeMembershipChange(
  db: DbOrTx,
  user: UserRow,
  spaceId: string,
  targetUserId: string,
  role: SpaceRole | null,
): Promise<{ space: SpaceRow; role: SpaceRole }> {
  const self = targetUserId === user.id;
  const leaving = self && role === null;
  const access = await requireSpace(db, user, spaceId, leaving ? 'viewer' : 'admin');
  // Leaving falls back to the space's default for you; it may not be more than you have now.
  if (self && !selfServiceAllowed(access.role, roleIn(user, access.space, role))) throw raisesOwnRole();
  return access;
}
