import { describe, expect, it } from 'vitest';
import type { UserRow } from '../domain/model.ts';
import { authorizeInviting, signupRule } from './signup.ts';

describe('signupRule', () => {
  it('without an invite: anyone in open mode, else only the first person', () => {
    expect(signupRule('open', false)).toEqual({ claimInvite: false, firstUserOnly: false });
    expect(signupRule('invite', false)).toEqual({ claimInvite: false, firstUserOnly: true });
    expect(signupRule('closed', false)).toEqual({ claimInvite: false, firstUserOnly: true });
  });

  it('with an invite: it must be claimed, and a closed workspace refuses it with the one refusal', () => {
    expect(signupRule('invite', true)).toEqual({ claimInvite: true, firstUserOnly: false });
    expect(signupRule('open', true)).toEqual({ claimInvite: true, firstUserOnly: false });
    expect(() => signupRule('closed', true)).toThrow(expect.objectContaining({ kind: 'forbidden', code: 'signup_refused' }));
  });
});

describe('authorizeInviting', () => {
  const person = (role: 'admin' | 'member') => ({ id: role, role }) as UserRow;
  it('needs a workspace admin, and a workspace whose sign-up is not closed', () => {
    expect(() => authorizeInviting(person('admin'), 'invite')).not.toThrow();
    expect(() => authorizeInviting(person('member'), 'invite')).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(() => authorizeInviting(person('admin'), 'closed')).toThrow(expect.objectContaining({ code: 'signup_closed' }));
  });
});
