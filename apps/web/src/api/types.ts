// The response shapes of the HTTP API contract v1 (/work/shared/API.md) that the web app reads.
// Kept local and small on purpose: the web bundle must not pull the server's zod schemas in.

export type Role = 'admin' | 'member';

export interface User {
  id: string;
  email: string;
  name: string;
  handle: string;
  timezone: string;
  briefHour: number;
  role: Role;
}

export interface Space {
  id: string;
  name: string;
  private?: boolean;
}

export type DocKind = 'page' | 'decision';

export type DecisionStatus = 'proposed' | 'accepted' | 'superseded' | 'rejected';

export interface Decision {
  status: DecisionStatus;
  owners: string[];
  supersedes?: string;
  decidedAt?: string;
}

/** A document as `GET /api/docs` lists it: metadata, no body. */
export interface DocSummary {
  id: string;
  spaceId: string;
  parentId: string | null;
  title: string;
  kind: DocKind;
  revision: number;
  updatedAt: string;
  decision?: Decision | null;
}

/** A document as `GET /api/docs/:id` returns it. */
export interface Doc extends DocSummary {
  markdown: string;
  content: unknown;
  createdBy: string;
  updatedBy: string;
  createdAt: string;
}

export interface AuthResult {
  user: User;
  token: string;
}

export interface SignupInput {
  email: string;
  name: string;
  handle: string;
  password: string;
  timezone: string;
}
