import { forbidden } from '../domain/errors.ts';
import type { Auth } from '../domain/identity.ts';
import type { SpaceRole, SpaceRow, UserRow } from '../domain/model.ts';
import { atLeast, roleIn } from './access.ts';

/**
 * Who may do what, asked one way: `can(user, action, object)`. The rules themselves live beside it
 * (access.ts: roles in spaces; signup.ts: who may join). Routes, collaboration and jobs ask here
 * (or through `requireSpace`/`requireDoc`, which load the object and ask the same rules).
 */

/**
 * What one can do in a space (and to the documents in it). `comment` follows the space's
 * `commenting` setting: every reader (the default), or only editors and admins.
 */
export type SpaceAction = 'read' | 'comment' | 'edit' | 'administer';
/** What one can do to the workspace as a whole. */
export type WorkspaceAction = 'manage-invites';
/** What one can do with the credential one is calling with. */
export type CredentialAction = 'write' | 'mint-tokens';

/**
 * A space as access sees it: whether it is private, who may comment (needed only to ask about
 * `comment`; unknown counts as editors only), and the person's explicit role in it.
 */
export interface SpaceSubject {
  space: Pick<SpaceRow, 'private'> & Partial<Pick<SpaceRow, 'commenting'>>;
  membership: SpaceRole | null;
}

function roleFor(action: SpaceAction, space: SpaceSubject['space']): SpaceRole {
  if (action === 'comment') return space.commenting === 'readers' ? 'viewer' : 'editor';
  return ({ read: 'viewer', edit: 'editor', administer: 'admin' } as const)[action];
}

export function can(user: UserRow, action: SpaceAction, subject: SpaceSubject): boolean;
export function can(user: UserRow, action: WorkspaceAction, subject: 'workspace'): boolean;
export function can(auth: Auth, action: CredentialAction, subject: 'credential'): boolean;
export function can(who: UserRow | Auth, action: SpaceAction | WorkspaceAction | CredentialAction, subject: SpaceSubject | 'workspace' | 'credential'): boolean {
  if (subject === 'credential') {
    const auth = who as Auth;
    // Tokens are minted only from a log-in session: a leaked token cannot breed more (or wider) ones.
    if (action === 'mint-tokens') return auth.via === 'session';
    return auth.scopes.includes('write');
  }
  const user = who as UserRow;
  if (subject === 'workspace') return user.role === 'admin';
  return atLeast(roleIn(user, subject.space, subject.membership), roleFor(action as SpaceAction, subject.space));
}

/** Workspace admins only (invites); anyone else gets a 403 saying so. */
export function authorizeWorkspace(user: UserRow, action: WorkspaceAction): void {
  if (!can(user, action, 'workspace')) throw forbidden('Only workspace admins manage invites.');
}

/** Minting API tokens needs a log-in session (403 `session_required` for a token). */
export function authorizeCredential(auth: Auth, action: CredentialAction): void {
  if (can(auth, action, 'credential')) return;
  if (action === 'mint-tokens') throw forbidden('This needs a log-in session; API tokens cannot do it.', 'session_required');
  throw forbidden('This token may only read (scope "read"); changes need a token with the "write" scope.', 'insufficient_scope');
}
