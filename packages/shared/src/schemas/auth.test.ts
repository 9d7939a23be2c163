import { describe, expect, it } from 'vitest';
import {
  ChangePasswordRequestSchema,
  CreateTokenRequestSchema,
  LoginRequestSchema,
  SignupRequestSchema,
} from './auth.ts';

const signup = {
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  handle: 'ada',
  password: 'correct horse battery',
  timezone: 'Europe/Berlin',
};

describe('SignupRequestSchema', () => {
  it('accepts a valid signup and normalizes email, name and handle', () => {
    expect(
      SignupRequestSchema.parse({ ...signup, email: '  Ada@Example.COM ', name: '  Ada Lovelace ', handle: 'Ada_L.1' }),
    ).toEqual({ ...signup, handle: 'ada_l.1' });
  });

  it('strips unknown keys (e.g. role) instead of trusting them', () => {
    expect(SignupRequestSchema.parse({ ...signup, role: 'admin' })).not.toHaveProperty('role');
  });

  it.each([
    ['email', 'not-an-email'],
    ['email', `${'a'.repeat(250)}@example.com`],
    ['email', 'ada@example.com\u0000'],
    ['email', 42],
    ['name', ''],
    ['name', '   '],
    ['name', 'x'.repeat(101)],
    ['name', 'Ada\u0000'],
    ['name', 'Ada\nLovelace'],
    ['name', 'Ada\u202Eecalevol'],
    ['name', null],
    ['handle', 'a'],
    ['handle', '_ada'],
    ['handle', '.ada'],
    ['handle', 'ada lovelace'],
    ['handle', 'ada@home'],
    ['handle', 'a'.repeat(33)],
    ['handle', 'ädä'],
    ['handle', '<script>'],
    ['password', 'short'],
    ['password', 'x'.repeat(201)],
    ['password', 1234567890],
    ['timezone', 'Mars/Olympus'],
    ['timezone', ''],
    ['timezone', 5],
  ])('rejects %s = %j', (field, value) => {
    const result = SignupRequestSchema.safeParse({ ...signup, [field]: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
  });

  it('rejects missing fields and non-objects', () => {
    for (const field of Object.keys(signup)) {
      const body: Record<string, unknown> = { ...signup };
      delete body[field];
      expect(SignupRequestSchema.safeParse(body).success, field).toBe(false);
    }
    for (const value of [null, 'ada', [], 1]) expect(SignupRequestSchema.safeParse(value).success).toBe(false);
  });

  it('takes passwords as typed (no trimming, any characters)', () => {
    expect(SignupRequestSchema.parse({ ...signup, password: '  pässwörd 🔑  ' }).password).toBe('  pässwörd 🔑  ');
  });
});

describe('LoginRequestSchema', () => {
  it('accepts and lowercases the email', () => {
    expect(LoginRequestSchema.parse({ email: ' ADA@example.com', password: 'x' })).toEqual({
      email: 'ada@example.com',
      password: 'x',
    });
  });
  it('rejects empty or oversized fields', () => {
    expect(LoginRequestSchema.safeParse({ email: '', password: 'x' }).success).toBe(false);
    expect(LoginRequestSchema.safeParse({ email: 'a@b.c', password: '' }).success).toBe(false);
    expect(LoginRequestSchema.safeParse({ email: 'a@b.c', password: 'x'.repeat(201) }).success).toBe(false);
    expect(LoginRequestSchema.safeParse({ email: 'a@b.c' }).success).toBe(false);
  });
});

describe('ChangePasswordRequestSchema', () => {
  it('accepts a new password', () => {
    expect(ChangePasswordRequestSchema.safeParse({ currentPassword: 'old', newPassword: 'a much better one' }).success).toBe(
      true,
    );
  });
  it('rejects a short, identical or missing new password', () => {
    expect(ChangePasswordRequestSchema.safeParse({ currentPassword: 'old', newPassword: 'short' }).success).toBe(false);
    const same = ChangePasswordRequestSchema.safeParse({ currentPassword: 'same password', newPassword: 'same password' });
    expect(same.error?.issues[0]?.path).toEqual(['newPassword']);
    expect(ChangePasswordRequestSchema.safeParse({ newPassword: 'a much better one' }).success).toBe(false);
  });
});

describe('CreateTokenRequestSchema', () => {
  it('accepts a name and rejects empty or hostile ones', () => {
    expect(CreateTokenRequestSchema.parse({ name: ' CI ' })).toEqual({ name: 'CI' });
    for (const name of ['', 'x'.repeat(101), 'ci\u0000', 'ci\r\nSet-Cookie: x', 7]) {
      expect(CreateTokenRequestSchema.safeParse({ name }).success).toBe(false);
    }
  });
});
