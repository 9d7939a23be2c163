// The brief calls of the HTTP API contract (/work/shared/API.md, "Briefs") and their shapes.
// Kept local like api/types.ts: the web bundle does not pull the server's zod schemas in.

import { request } from '../../api/client.ts';

export type BriefReason = 'decision' | 'mention' | 'owner' | 'watch' | 'new';

export interface BriefItem {
  docId: string;
  title: string;
  spaceId: string;
  reasons: BriefReason[];
  /** The last revision the reader saw; 0 when the document is new to them. */
  fromRevision: number;
  toRevision: number;
  /** User ids of who changed it in between. */
  authors: string[];
  summary: string;
}

export interface Brief {
  id: string;
  userId: string;
  since: string;
  until: string;
  writer: 'extractive' | 'llm';
  readingSeconds: number;
  markdown: string;
  items: BriefItem[];
  /** Items left out to keep the brief short. */
  omitted: number;
  /**
   * Not in the contract: honoured when the server says so, so that an acknowledged brief that
   * `GET /api/briefs/latest` still returns does not count as unread.
   */
  acknowledgedAt?: string | null;
}

const enc = encodeURIComponent;

export const briefApi = {
  /** The caller's latest brief; a 404 (ApiError) when none was ever built. */
  latest: () => request<{ brief: Brief }>('GET', '/api/briefs/latest'),
  /** Builds the caller's brief now (since their last acknowledged brief, or 7 days). */
  build: (since?: string) => request<{ brief: Brief }>('POST', '/api/briefs', since ? { since } : {}),
  /** "I'm caught up". */
  acknowledge: (id: string) => request<void>('POST', `/api/briefs/${enc(id)}/ack`),
  /** The email-ready HTML version. */
  htmlUrl: (id: string) => `/api/briefs/${enc(id)}.html`,
};
