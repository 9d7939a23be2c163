// The calls behind the sidebar tree, the document panels, the decision log and the settings page:
// spaces, the document tree, trash, revisions and diffs, decisions, watching, people and profile.
// Kept apart from client.ts so the editor's calls and these grow without stepping on each other.

import { request } from './client.ts';
import type { DecisionStatus, Doc, DocKind, DocSummary, Space, User } from './types.ts';

export type SpaceRole = 'viewer' | 'editor' | 'admin';

/** A space as `GET /api/spaces` lists it, with the caller's role (null: visible because it is open). */
export interface SpaceWithRole extends Space {
  private: boolean;
  role: SpaceRole | null;
  createdAt: string;
}

/** A list entry: the summary plus the fields the tree and trash read. */
export interface DocListItem extends DocSummary {
  createdBy: string;
  updatedBy: string;
  createdAt: string;
  trashedAt?: string | null;
}

export interface PublicUser {
  id: string;
  name: string;
  handle: string;
  timezone: string;
}

export interface Revision {
  revision: number;
  authors: string[];
  createdAt: string;
  message: string | null;
  title: string;
}

export interface DiffWord {
  op: 'same' | 'added' | 'removed';
  text: string;
}

export type DiffBlock =
  | { op: 'same'; before: string; after: string }
  | { op: 'added'; after: string }
  | { op: 'removed'; before: string }
  | { op: 'changed'; before: string; after: string; words: DiffWord[] };

export interface DiffResult {
  from: number;
  to: number;
  blocks: DiffBlock[];
}

export interface DecisionPatch {
  status?: DecisionStatus;
  owners?: string[];
  supersedes?: string | null;
}

export interface DocPatch {
  title?: string;
  decision?: DecisionPatch;
  message?: string;
  parentId?: string | null;
}

const enc = encodeURIComponent;

/** Every page of `GET /api/docs` for a query (the tree needs the whole space, not the newest 200). */
async function allDocs(query: Record<string, string>, maxPages = 25): Promise<DocListItem[]> {
  const out: DocListItem[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const params = new URLSearchParams({ ...query, limit: '200' });
    if (cursor) params.set('cursor', cursor);
    const res: { docs: DocListItem[]; nextCursor: string | null } = await request('GET', `/api/docs?${params}`);
    out.push(...res.docs);
    cursor = res.nextCursor;
    if (!cursor) break;
  }
  return out;
}

export const wikiApi = {
  spaces: () => request<{ spaces: SpaceWithRole[] }>('GET', '/api/spaces'),
  space: (id: string) => request<{ space: SpaceWithRole }>('GET', `/api/spaces/${enc(id)}`),
  createSpace: (name: string, isPrivate: boolean) =>
    request<{ space: SpaceWithRole }>('POST', '/api/spaces', { name, private: isPrivate }),
  watchSpace: (id: string, on: boolean) => request<void>(on ? 'PUT' : 'DELETE', `/api/spaces/${enc(id)}/watch`),

  /** The live documents of a space, every page of them. */
  spaceDocs: (spaceId: string) => allDocs({ spaceId }),
  /** The decision records of a space. */
  spaceDecisions: (spaceId: string) => allDocs({ spaceId, kind: 'decision' }),
  /** The trash of a space. */
  trashedDocs: (spaceId: string) => allDocs({ spaceId, trashed: '1' }),

  /** A document without marking it seen (the panels read linked decisions in passing). */
  peekDoc: (id: string) => request<{ doc: Doc }>('GET', `/api/docs/${enc(id)}?peek=1`),
  createDoc: (input: { spaceId: string; title: string; kind: DocKind; parentId: string | null }) =>
    request<{ doc: Doc }>('POST', '/api/docs', input),
  patchDoc: (id: string, patch: DocPatch) => request<{ doc: Doc }>('PATCH', `/api/docs/${enc(id)}`, patch),
  trashDoc: (id: string) => request<void>('DELETE', `/api/docs/${enc(id)}`),
  restoreDoc: (id: string) => request<{ doc: Doc }>('POST', `/api/docs/${enc(id)}/restore`),
  watchDoc: (id: string, on: boolean) => request<void>(on ? 'PUT' : 'DELETE', `/api/docs/${enc(id)}/watch`),
  exportUrl: (id: string) => `/api/docs/${enc(id)}/export.md`,

  revisions: (id: string) => request<{ revisions: Revision[] }>('GET', `/api/docs/${enc(id)}/revisions`),
  diff: (id: string, from: number, to: number) =>
    request<DiffResult>('GET', `/api/docs/${enc(id)}/diff?${new URLSearchParams({ from: String(from), to: String(to) })}`),
  restoreRevision: (id: string, revision: number) =>
    request<{ doc: Doc }>('POST', `/api/docs/${enc(id)}/revisions/${revision}/restore`),

  users: () => request<{ users: PublicUser[] }>('GET', '/api/users'),
  updateMe: (patch: { timezone?: string; briefHour?: number; name?: string }) =>
    request<{ user: User }>('PATCH', '/api/me', patch),
};

/** Whether a role (or an open space's implicit access) may change documents. */
export function canEdit(role: SpaceRole | null | undefined, space?: { private?: boolean } | null): boolean {
  if (role === 'editor' || role === 'admin') return true;
  return role === null && space != null && space.private === false;
}
