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

describe('UpdateMeRequestSchema: working hours and delivery', () => {
  it('sorts and dedupes working days, and takes local times and a leave', () => {
    expect(UpdateMeRequestSchema.parse({ workDays: [5, 1, 1, 3], workStart: '08:30', workEnd: '24:00', awayUntil: '2026-12-24T00:00:00+01:00' })).toEqual({
      workDays: [1, 3, 5],
      workStart: '08:30',
      workEnd: '24:00',
      awayUntil: '2026-12-23T23:00:00.000Z',
    });
    expect(UpdateMeRequestSchema.parse({ delivery: { email: true, webhookUrl: null } })).toEqual({ delivery: { email: true, webhookUrl: null } });
  });

  it.each([
    [{ workDays: [] }],
    [{ workDays: [0] }],
    [{ workDays: [8] }],
    [{ workStart: '9:00' }],
    [{ workStart: '24:30' }],
    [{ workStart: '17:00', workEnd: '09:00' }],
    [{ workStart: '09:00', workEnd: '09:00' }],
    [{ delivery: { sms: true } }],
    [{ delivery: { webhookUrl: 'x'.repeat(3000) } }],
  ])('rejects %j', (body) => {
    expect(UpdateMeRequestSchema.safeParse(body).success).toBe(false);
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
    workDays: [1, 2, 3, 4, 5],
    workStart: '09:00',
    workEnd: '17:00',
    awayUntil: null,
    delivery: { email: false, webhookUrl: null },
  };
  it('describe the API shapes', () => {
    expect(UserSchema.parse(user)).toEqual(user);
    expect(UserSchema.safeParse({ ...user, role: 'owner' }).success).toBe(false);
    expect(PublicUserSchema.parse(user)).toEqual({ id: 'u1', name: 'Ada', handle: 'ada', timezone: 'UTC' });
  });
});
