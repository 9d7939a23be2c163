import { forbidden } from '../domain/errors.ts';
import type { SignupMode } from '../domain/identity.ts';
import type { UserRow } from '../domain/model.ts';
import { authorizeWorkspace } from './can.ts';

/**
 * Every refused sign-up answers with this one error — a duplicate e-mail exactly like a missing,
 * used, expired or foreign invite — so the answer does not tell whether an address has an account.
 */
export const signupRefused = () =>
  forbidden(
    'This sign-up is not possible. You need a valid invite from a workspace admin (each works once, until it expires, and may be meant for one e-mail address). If you have an account already, log in.',
    'signup_refused',
  );

/** How a sign-up may go ahead under the workspace's mode. */
export interface SignupRule {
  /** A valid invite must be claimed (and the sign-up refused without one). */
  claimInvite: boolean;
  /** Only the very first person of the workspace may sign up this way. */
  firstUserOnly: boolean;
}

/**
 * The sign-up policy. `invite` (the default): the first person signs up freely and becomes the
 * admin, everyone after needs an invite; `open`: anyone (an invite, if given, sets the role);
 * `closed`: only the first person, then people are added with the CLI (an invite is refused).
 */
export function signupRule(mode: SignupMode, withInvite: boolean): SignupRule {
  if (withInvite) {
    if (mode === 'closed') throw signupRefused();
    return { claimInvite: true, firstUserOnly: false };
  }
  return { claimInvite: false, firstUserOnly: mode !== 'open' };
}

/** Inviting needs a workspace admin and a workspace whose sign-up is not closed. */
export function authorizeInviting(user: UserRow, mode: SignupMode): void {
  authorizeWorkspace(user, 'manage-invites');
  if (mode === 'closed') {
    throw forbidden('Sign-up is closed on this workspace (HANDOFF_SIGNUP=closed); add people with `npx handoff create-user`.', 'signup_closed');
  }
}
