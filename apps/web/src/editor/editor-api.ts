// The few HTTP calls the editor makes itself: people to mention, documents to link, the caller's
// role in a space and renaming a document. (Document content never goes through HTTP from here:
// it lives in the Y.Doc, see collab-session.ts.)

import { request } from '../api/client.ts';
import type { Doc, DocSummary } from '../api/types.ts';

export type SpaceRole = 'viewer' | 'editor' | 'admin';

export interface MentionableUser {
  id: string;
  name: string;
  handle: string;
}

let usersPromise: Promise<MentionableUser[]> | null = null;

/** Everyone in the workspace (fetched once per page load; retried after a failure). */
export function loadMentionableUsers(): Promise<MentionableUser[]> {
  usersPromise ??= request<{ users: MentionableUser[] }>('GET', '/api/users').then(
    (res) => res.users,
    (err: unknown) => {
      usersPromise = null;
      throw err;
    },
  );
  return usersPromise;
}

const DOCS_TTL_MS = 30_000;
let docsCache: { at: number; promise: Promise<DocSummary[]> } | null = null;

/** The documents the caller can read (newest first, up to 200), cached for half a minute. */
export function loadLinkableDocs(): Promise<DocSummary[]> {
  if (!docsCache || Date.now() - docsCache.at > DOCS_TTL_MS) {
    const promise = request<{ docs: DocSummary[] }>('GET', '/api/docs?limit=200').then(
      (res) => res.docs,
      (err: unknown) => {
        docsCache = null;
        throw err;
      },
    );
    docsCache = { at: Date.now(), promise };
  }
  return docsCache.promise;
}

/** The caller's role in a space: decides whether the editor is writable. */
export async function loadSpaceRole(spaceId: string): Promise<SpaceRole | null> {
  const { space } = await request<{ space: { role: SpaceRole | null } }>(
    'GET',
    `/api/spaces/${encodeURIComponent(spaceId)}`,
  );
  return space.role ?? null;
}

/** Renames a document (one new revision on the server). */
export async function renameDoc(docId: string, title: string): Promise<Doc> {
  const { doc } = await request<{ doc: Doc }>('PATCH', `/api/docs/${encodeURIComponent(docId)}`, { title });
  docsCache = null;
  return doc;
}
