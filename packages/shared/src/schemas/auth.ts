import { z } from 'zod';
import { DateTimeInputSchema, DateTimeSchema, IdSchema, TimeZoneSchema, singleLineText } from './common.ts';
import { UserNameSchema, UserSchema, WorkspaceRoleSchema } from './users.ts';

/** Trimmed, lowercased, at most 254 characters, a valid address. */
export const EmailSchema = z.string().trim().toLowerCase().max(254).check(z.email()).meta({ example: 'ada@example.com' });

/** 2..32 characters of `a-z 0-9 _ . -`, starting with a letter or digit; lowercased. Used in `@handle` mentions. */
export const HandleSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_.-]{1,31}$/, {
    message: 'Handle must be 2–32 characters of a-z, 0-9, "_", "." or "-", starting with a letter or digit',
  })
  .meta({ example: 'ada' });

/** A new password: 10..200 characters, taken as typed (never trimmed). */
export const NewPasswordSchema = z.string().min(10).max(200);

/** `POST /api/auth/signup`. */
export const SignupRequestSchema = z
  .object({
    email: EmailSchema,
    name: UserNameSchema,
    handle: HandleSchema,
    password: NewPasswordSchema,
    timezone: TimeZoneSchema,
    invite: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: 'The invite token (the `invite` parameter of the invite URL); needed after the first user unless sign-up is open.' }),
  })
  .meta({ id: 'SignupRequest' });
export type SignupRequest = z.infer<typeof SignupRequestSchema>;

/** `POST /api/auth/login`. Lenient on shape: a wrong email or password is a 401, not a 400. */
export const LoginRequestSchema = z
  .object({
    email: z.string().trim().toLowerCase().min(1).max(254),
    password: z.string().min(1).max(200),
  })
  .meta({ id: 'LoginRequest' });
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

/** Signup and login answer: the user and a Bearer token. */
export const AuthResponseSchema = z
  .object({ user: UserSchema, token: z.string().meta({ description: 'Send as `Authorization: Bearer <token>`.' }) })
  .meta({ id: 'AuthResponse' });
export type AuthResponse = z.infer<typeof AuthResponseSchema>;

/** `POST /api/me/password` (extension). */
export const ChangePasswordRequestSchema = z
  .object({
    currentPassword: z.string().min(1).max(200),
    newPassword: NewPasswordSchema,
  })
  .refine((body) => body.newPassword !== body.currentPassword, {
    message: 'The new password must differ from the current one',
    path: ['newPassword'],
  })
  .meta({ id: 'ChangePasswordRequest' });
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequestSchema>;

/** What a token may do: `read` (GET/HEAD only) and `write` (everything else; implies `read`). */
export const TokenScopeSchema = z.enum(['read', 'write']);
export type TokenScope = z.infer<typeof TokenScopeSchema>;

/** `POST /api/tokens` (extension; only with a log-in session): a long-lived token for scripts and the CLI. */
export const CreateTokenRequestSchema = z
  .object({
    name: singleLineText({ min: 1, max: 100 }),
    scopes: z
      .array(TokenScopeSchema)
      .min(1)
      .max(2)
      .optional()
      .meta({ description: 'Default `["read", "write"]`; `["read"]` makes a read-only token (403 on any other method, read-only collaboration).' }),
    expiresAt: DateTimeInputSchema.nullable()
      .optional()
      .meta({ description: 'When the token stops working (401 from then on); in the future. Default: never.' }),
  })
  .meta({ id: 'CreateTokenRequest' });
export type CreateTokenRequest = z.infer<typeof CreateTokenRequestSchema>;

/** An API token as listed; the secret itself is only ever shown once, on creation. */
export const ApiTokenSchema = z
  .object({
    id: IdSchema,
    name: z.string(),
    scopes: z.array(TokenScopeSchema),
    createdAt: DateTimeSchema,
    expiresAt: DateTimeSchema.nullable(),
    lastUsedAt: DateTimeSchema.nullable(),
  })
  .meta({ id: 'ApiToken' });
export type ApiToken = z.infer<typeof ApiTokenSchema>;

/** `POST /api/tokens` → 201. */
export const CreateTokenResponseSchema = z
  .object({ apiToken: ApiTokenSchema, token: z.string().meta({ description: 'The secret; shown only now.' }) })
  .meta({ id: 'CreateTokenResponse' });
export type CreateTokenResponse = z.infer<typeof CreateTokenResponseSchema>;

/** `GET /api/tokens` (the caller's own, unrevoked tokens). */
export const TokensResponseSchema = z.object({ tokens: z.array(ApiTokenSchema) }).meta({ id: 'TokensResponse' });
export type TokensResponse = z.infer<typeof TokensResponseSchema>;

/** `POST /api/invites` (workspace admins): invite one person; `email` binds the invite to that address. */
export const CreateInviteRequestSchema = z
  .object({ email: EmailSchema.optional(), role: WorkspaceRoleSchema })
  .meta({ id: 'CreateInviteRequest' });
export type CreateInviteRequest = z.infer<typeof CreateInviteRequestSchema>;

/** An open invite as listed (the token is never stored, so only the creation answer has the URL). */
export const InviteSummarySchema = z
  .object({
    id: IdSchema,
    email: z.string().nullable(),
    role: WorkspaceRoleSchema,
    createdBy: IdSchema,
    createdAt: DateTimeSchema,
    expiresAt: DateTimeSchema,
  })
  .meta({ id: 'InviteSummary' });
export type InviteSummary = z.infer<typeof InviteSummarySchema>;

/** `POST /api/invites` → 201: the URL carries the single-use token (shown only now). */
export const CreateInviteResponseSchema = z
  .object({
    invite: z.object({
      id: IdSchema,
      url: z.string().meta({ description: 'The sign-up page with `?invite=<token>`; send it to the person.' }),
      expiresAt: DateTimeSchema,
      email: z.string().nullable(),
      role: WorkspaceRoleSchema,
    }),
  })
  .meta({ id: 'CreateInviteResponse' });
export type CreateInviteResponse = z.infer<typeof CreateInviteResponseSchema>;

/** `GET /api/invites`: invites not yet used or revoked, newest first. */
export const InvitesResponseSchema = z.object({ invites: z.array(InviteSummarySchema) }).meta({ id: 'InvitesResponse' });
export type InvitesResponse = z.infer<typeof InvitesResponseSchema>;
