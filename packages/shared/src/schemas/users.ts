import { z } from 'zod';
import { IdSchema, TimeZoneSchema, singleLineText } from './common.ts';

export const WorkspaceRoleSchema = z.enum(['admin', 'member']);
export type WorkspaceRole = z.infer<typeof WorkspaceRoleSchema>;

/** A person's display name: trimmed, 1..100 characters, no control characters. */
export const UserNameSchema = singleLineText({ min: 1, max: 100 });

/** The hour (0–23, in the user's own time zone) at which their scheduled brief is built. */
export const BriefHourSchema = z.number().int().min(0).max(23);

export const UserSchema = z
  .object({
    id: IdSchema,
    email: z.string(),
    name: z.string(),
    handle: z.string(),
    timezone: z.string(),
    briefHour: BriefHourSchema,
    role: WorkspaceRoleSchema,
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof UserSchema>;

/** What every member of the workspace may see of another. */
export const PublicUserSchema = z
  .object({ id: IdSchema, name: z.string(), handle: z.string(), timezone: z.string() })
  .meta({ id: 'PublicUser' });
export type PublicUser = z.infer<typeof PublicUserSchema>;

/** `PATCH /api/me`. */
export const UpdateMeRequestSchema = z
  .strictObject({
    name: UserNameSchema.optional(),
    timezone: TimeZoneSchema.optional(),
    briefHour: BriefHourSchema.optional(),
  })
  .meta({ id: 'UpdateMeRequest' });
export type UpdateMeRequest = z.infer<typeof UpdateMeRequestSchema>;

/** `GET /api/me`, `PATCH /api/me`. */
export const MeResponseSchema = z.object({ user: UserSchema }).meta({ id: 'MeResponse' });
export type MeResponse = z.infer<typeof MeResponseSchema>;

/** `GET /api/users`. */
export const UsersResponseSchema = z.object({ users: z.array(PublicUserSchema) }).meta({ id: 'UsersResponse' });
export type UsersResponse = z.infer<typeof UsersResponseSchema>;
