import { and, eq, memberships, spaces, documents, type DbOrTx } from '@handoff/db';
import { forbidden, notFound } from '../domain/errors.ts';
import type { SpaceRole, SpaceRow, UserRow } from '../domain/model.ts';

const rank: Record<SpaceRole, number> = { viewer: 1, editor: 2, admin: 3 };

/**
 * The caller's role in a space, or null if they may not see it at all.
 * - Workspace admins administer every space (they run the workspace).
 * - An explicit membership decides, in private and open spaces alike (so an open space can
 *   make someone a viewer). It is binding: see `selfServiceAllowed` for why a viewer cannot
 *   shed it.
 * - Otherwise an open (non-private) space is readable and editable by every member.
 */
export function roleIn(user: UserRow, space: Pick<SpaceRow, 'private'>, membershipRole: SpaceRole | null): SpaceRole | null {
  if (user.role === 'admin') return 'admin';
  if (membershipRole) return membershipRole;
  return space.private ? null : 'editor';
}

const rankOf = (role: SpaceRole | null) => (role === null ? 0 : rank[role]);

/**
 * The membership model of self-service changes: **no change a person makes to their own
 * membership may raise their own rights.** Removing a membership falls back to the space's
 * default (open space: editor; private space: nothing), so in an open space
 * - an explicit `viewer` role is binding: its holder may not leave (that would make them an
 *   editor), nor re-add, promote or demote themselves (setting roles needs space admin anyway);
 * - editors and admins may leave (they drop to the default, editor, or stay at it);
 * and in a private space anyone may leave. Admins removing *someone else* from an open space do
 * give them the default; to keep a person read-only there, make them a viewer instead.
 * `before` is the caller's current role, `after` what it would be once the change is made.
 */
export function selfServiceAllowed(before: SpaceRole | null, after: SpaceRole | null): boolean {
  return rankOf(after) <= rankOf(before);
}

export function atLeast(role: SpaceRole | null, needed: SpaceRole): boolean {
  return role !== null && rank[role] >= rank[needed];
}

export async function spaceAccess(db: DbOrTx, user: UserRow, spaceId: string) {
  const row = await db
    .select({ space: spaces, role: memberships.role })
    .from(spaces)
    .leftJoin(memberships, and(eq(memberships.spaceId, spaces.id), eq(memberships.userId, user.id)))
    .where(eq(spaces.id, spaceId))
    .get();
  if (!row) return null;
  return { space: row.space, role: roleIn(user, row.space, row.role ?? null) };
}

/** The space, if the caller has at least `needed` in it. Unknown and invisible spaces are 404. */
export async function requireSpace(db: DbOrTx, user: UserRow, spaceId: string, needed: SpaceRole) {
  const access = await spaceAccess(db, user, spaceId);
  if (!access || access.role === null) throw notFound('Space');
  if (!atLeast(access.role, needed)) throw forbidden(`You need the ${needed} role in this space.`);
  return { space: access.space, role: access.role };
}

/** One query: the document with its space and the caller's membership. */
export async function docAccess(db: DbOrTx, user: UserRow, docId: string) {
  const row = await db
    .select({ doc: documents, space: spaces, role: memberships.role })
    .from(documents)
    .innerJoin(spaces, eq(spaces.id, documents.spaceId))
    .leftJoin(memberships, and(eq(memberships.spaceId, spaces.id), eq(memberships.userId, user.id)))
    .where(eq(documents.id, docId))
    .get();
  if (!row) return null;
  return { doc: row.doc, space: row.space, role: roleIn(user, row.space, row.role ?? null) };
}

/**
 * The document if the caller may `needed` it. A document the caller may not read is 404 (its
 * existence is never revealed); one they may read but not change is 403.
 */
export async function requireDoc(db: DbOrTx, user: UserRow, docId: string, needed: SpaceRole) {
  const access = await docAccess(db, user, docId);
  if (!access || access.role === null) throw notFound('Document');
  if (!atLeast(access.role, needed)) throw forbidden(`You need the ${needed} role in this space to change it.`);
  return { doc: access.doc, space: access.space, role: access.role };
}

/** Ids of every space the user may read, for list filters (search and briefs use the same rule). */
export async function readableSpaceIds(db: DbOrTx, user: UserRow): Promise<string[]> {
  const rows = await db
    .select({ id: spaces.id, private: spaces.private, role: memberships.role })
    .from(spaces)
    .leftJoin(memberships, and(eq(memberships.spaceId, spaces.id), eq(memberships.userId, user.id)))
    .all();
  return rows.filter((r) => roleIn(user, { private: r.private } as SpaceRow, r.role ?? null) !== null).map((r) => r.id);
}

/**
 * Every space the user may read, with its name and whether the user is an explicit member (briefs
 * pick their reasons from membership). Same rule as `readableSpaceIds`.
 */
export async function readableSpaces(db: DbOrTx, user: UserRow): Promise<Array<{ id: string; name: string; member: boolean }>> {
  const rows = await db
    .select({ id: spaces.id, name: spaces.name, private: spaces.private, role: memberships.role })
    .from(spaces)
    .leftJoin(memberships, and(eq(memberships.spaceId, spaces.id), eq(memberships.userId, user.id)))
    .all();
  return rows
    .filter((r) => roleIn(user, { private: r.private } as SpaceRow, r.role ?? null) !== null)
    .map((r) => ({ id: r.id, name: r.name, member: r.role != null }));
}
