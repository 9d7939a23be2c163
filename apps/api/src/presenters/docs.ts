import type { DocRow } from '../domain/model.ts';
import type { DecisionValue } from '../domain/doc-engine.ts';
import { iso, isoOrNull } from './time.ts';

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
