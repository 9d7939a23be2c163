import { z } from 'zod';
import { DateTimeInputSchema, DateTimeSchema, IdSchema, TimeZoneSchema, singleLineText } from './common.ts';

export const WorkspaceRoleSchema = z.enum(['admin', 'member']);
export type WorkspaceRole = z.infer<typeof WorkspaceRoleSchema>;

/** A person's display name: trimmed, 1..100 characters, no control characters. */
export const UserNameSchema = singleLineText({ min: 1, max: 100 });

/** The hour (0–23, in the user's own time zone) at which their scheduled brief is built. */
export const BriefHourSchema = z.number().int().min(0).max(23);

/** A time of day in the user's own time zone, "HH:MM" (24-hour; "24:00" is the end of the day). */
export const LocalTimeSchema = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time "HH:MM" (00:00 to 24:00)')
  .meta({ description: 'A local time "HH:MM", 24-hour.', example: '09:00' });

/** ISO weekdays a person works on: 1 = Monday … 7 = Sunday; sorted, no duplicates, at least one. */
export const WorkDaysSchema = z
  .array(z.number().int().min(1).max(7))
  .min(1)
  .max(7)
  .overwrite((days) => [...new Set(days)].sort((a, b) => a - b))
  .meta({ description: 'ISO weekdays, 1 = Monday … 7 = Sunday.', example: [1, 2, 3, 4, 5] });

/** Most characters of a webhook URL. */
export const WEBHOOK_URL_MAX = 2048;

/** How a person's brief reaches her besides the app (each opt-in). */
export const DeliverySettingsSchema = z
  .object({
    email: z.boolean().meta({ description: 'E-mail the brief to the account address.' }),
    webhookUrl: z.string().nullable().meta({ description: 'A Slack, Mattermost or Teams incoming-webhook URL, or any HTTPS endpoint; null when off.' }),
  })
  .meta({ id: 'DeliverySettings' });
export type DeliverySettings = z.infer<typeof DeliverySettingsSchema>;

export const UserSchema = z
  .object({
    id: IdSchema,
    email: z.string(),
    name: z.string(),
    handle: z.string(),
    timezone: z.string(),
    briefHour: BriefHourSchema,
    role: WorkspaceRoleSchema,
    /** v2: working days and hours, leave and delivery channels. */
    workDays: WorkDaysSchema,
    workStart: LocalTimeSchema,
    workEnd: LocalTimeSchema,
    awayUntil: DateTimeSchema.nullable(),
    delivery: DeliverySettingsSchema,
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
    workDays: WorkDaysSchema.optional(),
    workStart: LocalTimeSchema.optional(),
    workEnd: LocalTimeSchema.optional(),
    awayUntil: DateTimeInputSchema.nullable().optional().meta({ description: 'On leave until then (null: not away).' }),
    delivery: z
      .strictObject({
        email: z.boolean().optional(),
        webhookUrl: z.string().trim().max(WEBHOOK_URL_MAX).nullable().optional(),
      })
      .optional()
      .meta({ description: 'Only the given channels change. A webhook URL must be https and resolve to a public address.' }),
  })
  .refine((body) => body.workStart === undefined || body.workEnd === undefined || body.workStart < body.workEnd, {
    message: 'workStart must be before workEnd',
    path: ['workEnd'],
  })
  .meta({ id: 'UpdateMeRequest' });
export type UpdateMeRequest = z.infer<typeof UpdateMeRequestSchema>;

/** `GET /api/me`, `PATCH /api/me`. */
export const MeResponseSchema = z.object({ user: UserSchema }).meta({ id: 'MeResponse' });
export type MeResponse = z.infer<typeof MeResponseSchema>;

/** `GET /api/users`. */
export const UsersResponseSchema = z.object({ users: z.array(PublicUserSchema) }).meta({ id: 'UsersResponse' });
export type UsersResponse = z.infer<typeof UsersResponseSchema>;
