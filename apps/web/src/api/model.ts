// Names for the contract's shapes the app passes around. Every type here is the generated one
// (schema.gen.ts, from the API's zod schemas): nothing is typed by hand.

import type { components } from './schema.gen.ts';

type Schemas = components['schemas'];

export type User = Schemas['User'];
export type PublicUser = Schemas['PublicUser'];
export type Space = Schemas['Space'];
export type SpaceRole = NonNullable<Space['role']>;
export type Doc = Schemas['Doc'];
export type DocSummary = Schemas['DocSummary'];
export type DocKind = Doc['kind'];
export type Decision = Schemas['Decision'];
export type DecisionStatus = Decision['status'];
export type DecisionPatch = Schemas['DecisionPatch'];
export type PatchDocRequest = Schemas['PatchDocRequest'];
export type CreateDocRequest = Schemas['CreateDocRequest'];
export type SignupRequest = Schemas['SignupRequest'];
export type UpdateMeRequest = Schemas['UpdateMeRequest'];
export type Revision = Schemas['Revision'];
export type DiffResponse = Schemas['DiffResponse'];
export type DiffBlock = Schemas['DiffBlock'];
export type WatchState = Schemas['WatchState'];
export type SearchHit = Schemas['SearchHit'];
export type SearchResponse = Schemas['SearchResponse'];
export type Brief = Schemas['Brief'];
export type BriefItem = Schemas['BriefItem'];
export type BriefReason = BriefItem['reasons'][number];
export type BriefThread = Schemas['BriefThread'];
export type Thread = Schemas['Thread'];
export type ThreadComment = Schemas['Comment'];
export type WaitingThread = Schemas['WaitingThread'];
export type AnchorInput = Schemas['AnchorInput'];
export type Commenting = Space['commenting'];

/** Whether a role (or an open space's implicit access) may change documents. */
export function canEdit(role: SpaceRole | null | undefined, space?: Pick<Space, 'private'> | null): boolean {
  if (role === 'editor' || role === 'admin') return true;
  return role === null && space != null && !space.private;
}

/**
 * Whether someone who can read a space's documents may comment on them: every reader, unless the
 * space says editors only (`commenting: "editors"`).
 */
export function canComment(role: SpaceRole | null | undefined, space: Pick<Space, 'private' | 'commenting'> | null | undefined): boolean {
  if (!space) return false;
  return space.commenting !== 'editors' || canEdit(role, space);
}
