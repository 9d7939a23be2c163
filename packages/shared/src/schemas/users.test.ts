import { describe, expect, it } from 'vitest';
import { PublicUserSchema, UpdateMeRequestSchema, UserSchema } from './users.ts';

describe('UpdateMeRequestSchema', () => {
  it('accepts any subset of name, timezone, briefHour', () => {
    expect(UpdateMeRequestSchema.parse({})).toEqual({});
    expect(UpdateMeRequestSchema.parse({ name: ' Grace ', timezone: 'America/Los_Angeles', briefHour: 0 })).toEqual({
      name: 'Grace',
      timezone: 'America/Los_Angeles',
      briefHour: 0,
    });
    expect(UpdateMeRequestSchema.parse({ briefHour: 23 })).toEqual({ briefHour: 23 });
  });

  it.each([
    [{ briefHour: 24 }],
    [{ briefHour: -1 }],
    [{ briefHour: 7.5 }],
    [{ briefHour: '8' }],
    [{ timezone: 'Mars/Olympus' }],
    [{ name: '' }],
    [{ name: 'a\u0000' }],
    [{ role: 'admin' }],
    [{ email: 'new@example.com' }],
    [{ handle: 'root' }],
    [{ name: 'Ok', __proto__: { polluted: true } }],
    [null],
    ['name'],
  ])('rejects %j (strict)', (body) => {
    expect(UpdateMeRequestSchema.safeParse(body).success).toBe(false);
  });

  it('rejects a JSON __proto__ key', () => {
    expect(UpdateMeRequestSchema.safeParse(JSON.parse('{"__proto__": {"role": "admin"}}')).success).toBe(false);
  });
});

describe('UserSchema / PublicUserSchema', () => {
  const user = {
    id: 'u1',
    email: 'ada@example.com',
    name: 'Ada',
    handle: 'ada',
    timezone: 'UTC',
    briefHour: 8,
    role: 'admin',
  };
  it('describe the API shapes', () => {
    expect(UserSchema.parse(user)).toEqual(user);
    expect(UserSchema.safeParse({ ...user, role: 'owner' }).success).toBe(false);
    expect(PublicUserSchema.parse(user)).toEqual({ id: 'u1', name: 'Ada', handle: 'ada', timezone: 'UTC' });
  });
});
