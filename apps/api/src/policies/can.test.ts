import { describe, expect, it } from 'vitest';
import type { Auth } from '../domain/identity.ts';
import type { SpaceRole, UserRow } from '../domain/model.ts';
import { authorizeCredential, authorizeWorkspace, can, type SpaceAction } from './can.ts';

const user = (role: 'admin' | 'member'): UserRow =>
  ({ id: `u-${role}`, role, email: '', name: '', handle: '', passwordHash: '', timezone: 'UTC', briefHour: 8, createdAt: 0, updatedAt: 0, deactivatedAt: null }) as UserRow;
const member = user('member');
const admin = user('admin');
const auth = (via: 'session' | 'token', scopes: Auth['scopes']): Auth => ({ user: member, via, sessionId: null, csrfToken: null, scopes, expiresAt: null });

describe('can', () => {
  const actions: SpaceAction[] = ['read', 'edit', 'administer'];
  const allowed = (privateSpace: boolean, membership: SpaceRole | null, who = member) =>
    actions.filter((a) => can(who, a, { space: { private: privateSpace }, membership }));

  it('follows the explicit role in a space, private or open', () => {
    expect(allowed(true, 'viewer')).toEqual(['read']);
    expect(allowed(true, 'editor')).toEqual(['read', 'edit']);
    expect(allowed(false, 'admin')).toEqual(['read', 'edit', 'administer']);
    // An explicit viewer role binds in an open space too.
    expect(allowed(false, 'viewer')).toEqual(['read']);
  });

  it('lets everyone edit an open space and nobody without a role see a private one, but workspace admins do all', () => {
    expect(allowed(false, null)).toEqual(['read', 'edit']);
    expect(allowed(true, null)).toEqual([]);
    expect(allowed(true, null, admin)).toEqual(['read', 'edit', 'administer']);
  });

  it('lets only workspace admins manage invites', () => {
    expect(can(admin, 'manage-invites', 'workspace')).toBe(true);
    expect(can(member, 'manage-invites', 'workspace')).toBe(false);
    expect(() => authorizeWorkspace(member, 'manage-invites')).toThrow(expect.objectContaining({ kind: 'forbidden' }));
  });

  it('lets a read token only read, and only sessions mint tokens', () => {
    expect(can(auth('token', ['read']), 'write', 'credential')).toBe(false);
    expect(can(auth('token', ['read', 'write']), 'write', 'credential')).toBe(true);
    expect(can(auth('token', ['read', 'write']), 'mint-tokens', 'credential')).toBe(false);
    expect(can(auth('session', ['read', 'write']), 'mint-tokens', 'credential')).toBe(true);
    expect(() => authorizeCredential(auth('token', ['read']), 'write')).toThrow(expect.objectContaining({ code: 'insufficient_scope' }));
    expect(() => authorizeCredential(auth('token', ['read', 'write']), 'mint-tokens')).toThrow(expect.objectContaining({ code: 'session_required' }));
  });
});
