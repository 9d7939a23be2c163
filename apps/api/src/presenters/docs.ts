import type { DocRow } from '../domain/model.ts';
import type { DecisionValue } from '../domain/decisions.ts';
import { iso, isoOrNull } from './time.ts';

export function presentDecision(d: DecisionValue) {
  return { status: d.status, owners: d.owners, supersedes: d.supersedes, decidedAt: isoOrNull(d.decidedAt) };
}

export function presentDocSummary(d: DocRow, decision?: DecisionValue | null, handoff?: { to: string[] } | null) {
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
    ...(handoff ? { handoff: { to: handoff.to } } : {}),
  };
}

export function presentDoc(d: DocRow, decision?: DecisionValue | null, handoff?: { to: string[] } | null) {
  return { ...presentDocSummary(d, decision, handoff), markdown: d.markdown, content: JSON.parse(d.content) as Record<string, unknown> };
}


export function presentRevisionSummary(r: { revision: number; authors: string[]; createdAt: number; message: string | null; title: string }) {
  return { revision: r.revision, authors: r.authors, createdAt: iso(r.createdAt), message: r.message, title: r.title };
}
