import type { DocRow, SpaceRow, SpaceRole, UserRow } from './domain/access.ts';
import type { DecisionValue } from './domain/doc-engine.ts';
import type { ShownBrief } from './domain/brief-store.ts';

/** The only place a database row becomes JSON. Times become ISO-8601 strings in UTC. */
export const iso = (ms: number) => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null | undefined) => (ms == null ? null : iso(ms));

export function presentUser(u: UserRow) {
  return { id: u.id, email: u.email, name: u.name, handle: u.handle, timezone: u.timezone, briefHour: u.briefHour, role: u.role };
}

export function presentPublicUser(u: Pick<UserRow, 'id' | 'name' | 'handle' | 'timezone'>) {
  return { id: u.id, name: u.name, handle: u.handle, timezone: u.timezone };
}

export function presentSpace(s: SpaceRow, role: SpaceRole | null) {
  return { id: s.id, name: s.name, private: s.private, role, createdAt: iso(s.createdAt) };
}

export function presentDecision(d: DecisionValue) {
  return { status: d.status, owners: d.owners, supersedes: d.supersedes, decidedAt: isoOrNull(d.decidedAt) };
}

export function presentDocSummary(d: DocRow, decision?: DecisionValue | null) {
  return {
    id: d.id,
    spaceId: d.spaceId,
    parentId: d.parentId,
    title: d.title,
    kind: d.kind,
    revision: d.revision,
    createdBy: d.createdBy,
    updatedBy: d.updatedBy,
    createdAt: iso(d.createdAt),
    updatedAt: iso(d.updatedAt),
    trashedAt: isoOrNull(d.trashedAt),
    ...(decision ? { decision: presentDecision(decision) } : {}),
  };
}

export function presentDoc(d: DocRow, decision?: DecisionValue | null) {
  return { ...presentDocSummary(d, decision), markdown: d.markdown, content: JSON.parse(d.content) as Record<string, unknown> };
}

/** A brief as the reader may see it now (see domain/brief-store.ts `showBrief`). */
export function presentBrief(b: ShownBrief) {
  return {
    id: b.row.id,
    userId: b.row.userId,
    since: iso(b.row.since),
    until: iso(b.row.until),
    writer: b.writer,
    readingSeconds: b.readingSeconds,
    markdown: b.markdown,
    items: b.items.map((i) => ({
      docId: i.docId,
      title: i.title,
      spaceId: i.spaceId,
      reasons: i.reasons,
      fromRevision: i.fromRevision,
      toRevision: i.toRevision,
      authors: i.authors.map((a) => a.id),
      summary: i.summary,
      diffUrl: i.diffUrl,
    })),
    omitted: b.omitted,
    createdAt: iso(b.row.createdAt),
    acknowledgedAt: isoOrNull(b.row.acknowledgedAt),
  };
}
