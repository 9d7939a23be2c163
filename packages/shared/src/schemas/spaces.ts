import { z } from 'zod';
import { DateTimeSchema, IdSchema, singleLineText } from './common.ts';

export const MemberRoleSchema = z.enum(['viewer', 'editor', 'admin']);
export type MemberRole = z.infer<typeof MemberRoleSchema>;

export const SpaceNameSchema = singleLineText({ min: 1, max: 100 });

/** Who may comment on a space's documents: everyone who may read them (default) or only editors. */
export const CommentingSchema = z.enum(['readers', 'editors']).meta({ description: 'Who may comment: every reader, or editors and admins only.' });
export type Commenting = z.infer<typeof CommentingSchema>;

export const SpaceSchema = z
  .object({
    id: IdSchema,
    name: z.string(),
    private: z.boolean(),
    commenting: CommentingSchema,
    role: MemberRoleSchema.nullable().meta({
      description: "The caller's own membership role; null when they see the space only because it is not private.",
    }),
    createdAt: DateTimeSchema,
  })
  .meta({ id: 'Space' });
export type Space = z.infer<typeof SpaceSchema>;

/** `POST /api/spaces`. */
export const CreateSpaceRequestSchema = z
  .object({ name: SpaceNameSchema, private: z.boolean().default(false), commenting: CommentingSchema.default('readers') })
  .meta({ id: 'CreateSpaceRequest' });
export type CreateSpaceRequest = z.infer<typeof CreateSpaceRequestSchema>;

/** `PATCH /api/spaces/:id` (extension): rename. */
export const UpdateSpaceRequestSchema = z
  .strictObject({ name: SpaceNameSchema.optional(), private: z.boolean().optional(), commenting: CommentingSchema.optional() })
  .meta({ id: 'UpdateSpaceRequest' });

/** `GET /api/docs/:id/watch` and `GET /api/spaces/:id/watch` (extensions). */
export const WatchStateSchema = z
  .object({ watching: z.boolean(), viaSpace: z.boolean().meta({ description: 'Followed through its space.' }) })
  .meta({ id: 'WatchState' });
export type WatchState = z.infer<typeof WatchStateSchema>;
export type UpdateSpaceRequest = z.infer<typeof UpdateSpaceRequestSchema>;

/** `PUT /api/spaces/:id/members/:userId`. */
export const PutMemberRequestSchema = z.object({ role: MemberRoleSchema }).meta({ id: 'PutMemberRequest' });
export type PutMemberRequest = z.infer<typeof PutMemberRequestSchema>;

export const MemberSchema = z.object({ userId: IdSchema, role: MemberRoleSchema }).meta({ id: 'Member' });
export type Member = z.infer<typeof MemberSchema>;

/** `/api/spaces/:id/members/:userId` path parameters. */
export const MemberParamsSchema = z.object({ id: IdSchema, userId: IdSchema }).meta({ id: 'MemberParams' });
export type MemberParams = z.infer<typeof MemberParamsSchema>;

export const SpaceResponseSchema = z.object({ space: SpaceSchema }).meta({ id: 'SpaceResponse' });
export type SpaceResponse = z.infer<typeof SpaceResponseSchema>;

export const SpacesResponseSchema = z.object({ spaces: z.array(SpaceSchema) }).meta({ id: 'SpacesResponse' });
export type SpacesResponse = z.infer<typeof SpacesResponseSchema>;

/** `PUT /api/spaces/:id/members/:userId` → 200, and `GET /api/spaces/:id/members` (extension). */
export const MemberResponseSchema = z.object({ member: MemberSchema }).meta({ id: 'MemberResponse' });
export type MemberResponse = z.infer<typeof MemberResponseSchema>;

export const MembersResponseSchema = z.object({ members: z.array(MemberSchema) }).meta({ id: 'MembersResponse' });
export type MembersResponse = z.infer<typeof MembersResponseSchema>;
