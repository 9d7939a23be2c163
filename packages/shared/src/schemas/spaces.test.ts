import { describe, expect, it } from 'vitest';
import {
  CreateSpaceRequestSchema,
  MemberParamsSchema,
  PutMemberRequestSchema,
  SpaceSchema,
  UpdateSpaceRequestSchema,
} from './spaces.ts';

describe('CreateSpaceRequestSchema', () => {
  it('accepts a name and defaults private to false', () => {
    expect(CreateSpaceRequestSchema.parse({ name: ' Engineering ' })).toEqual({ name: 'Engineering', private: false, commenting: 'readers' });
    expect(CreateSpaceRequestSchema.parse({ name: 'HR', private: true, commenting: 'editors' })).toEqual({ name: 'HR', private: true, commenting: 'editors' });
    expect(CreateSpaceRequestSchema.safeParse({ name: 'HR', commenting: 'everyone' }).success).toBe(false);
  });
  it.each([
    [{}],
    [{ name: '' }],
    [{ name: 'x'.repeat(101) }],
    [{ name: 'a\u0000b' }],
    [{ name: 'a\nb' }],
    [{ name: 5 }],
    [{ name: 'Eng', private: 'yes' }],
    [{ name: 'Eng', private: 1 }],
  ])('rejects %j', (body) => {
    expect(CreateSpaceRequestSchema.safeParse(body).success).toBe(false);
  });
});

describe('UpdateSpaceRequestSchema', () => {
  it('accepts a rename and a privacy change and rejects unknown keys', () => {
    expect(UpdateSpaceRequestSchema.parse({ name: 'New' })).toEqual({ name: 'New' });
    expect(UpdateSpaceRequestSchema.parse({ name: 'New', private: true })).toEqual({ name: 'New', private: true });
    expect(UpdateSpaceRequestSchema.safeParse({ private: 'yes' }).success).toBe(false);
    expect(UpdateSpaceRequestSchema.safeParse({ name: 'New', owner: 'me' }).success).toBe(false);
    expect(UpdateSpaceRequestSchema.safeParse({ name: '' }).success).toBe(false);
  });
});

describe('PutMemberRequestSchema', () => {
  it('takes one of the three roles', () => {
    for (const role of ['viewer', 'editor', 'admin']) expect(PutMemberRequestSchema.parse({ role })).toEqual({ role });
    for (const role of ['owner', 'ADMIN', '', null]) expect(PutMemberRequestSchema.safeParse({ role }).success).toBe(false);
    expect(PutMemberRequestSchema.safeParse({}).success).toBe(false);
  });
});

describe('SpaceSchema / MemberParamsSchema', () => {
  it('role may be null', () => {
    const space = { id: 's1', name: 'Eng', private: false, commenting: 'readers', role: null, createdAt: '2025-01-01T00:00:00.000Z' };
    expect(SpaceSchema.parse(space)).toEqual(space);
  });
  it('params are ids', () => {
    expect(MemberParamsSchema.parse({ id: 's1', userId: 'u1' })).toEqual({ id: 's1', userId: 'u1' });
    expect(MemberParamsSchema.safeParse({ id: 's1', userId: '../u1' }).success).toBe(false);
  });
});
