import { decisionOwners, decisions, documents, eq, inArray, users, type DbOrTx } from '@handoff/db';
import { unprocessable } from './errors.ts';

export type DecisionStatus = 'proposed' | 'accepted' | 'superseded' | 'rejected';

/** A decision record's decision as stored (times in epoch ms). */
export interface DecisionValue {
  status: DecisionStatus;
  owners: string[];
  supersedes: string | null;
  decidedAt: number | null;
}

/** A change to a decision as the API takes it (every field optional; times as ISO strings). */
export interface DecisionInput {
  status?: DecisionStatus | undefined;
  owners?: string[] | undefined;
  supersedes?: string | null | undefined;
  decidedAt?: string | null | undefined;
}

/** The decision records of several documents in two queries (documents without one are absent). */
export async function decisionsOf(tx: DbOrTx, docIds: string[]): Promise<Map<string, DecisionValue>> {
  const out = new Map<string, DecisionValue>();
  if (!docIds.length) return out;
  const rows = await tx.select().from(decisions).where(inArray(decisions.docId, docIds)).all();
  if (!rows.length) return out;
  const owners = await tx.select().from(decisionOwners).where(inArray(decisionOwners.docId, rows.map((r) => r.docId))).all();
  for (const row of rows) {
    const mine = owners.filter((o) => o.docId === row.docId).map((o) => o.userId).sort();
    out.set(row.docId, { status: row.status, owners: mine, supersedes: row.supersedes, decidedAt: row.decidedAt });
  }
  return out;
}

export async function decisionOf(tx: DbOrTx, docId: string): Promise<DecisionValue | null> {
  return (await decisionsOf(tx, [docId])).get(docId) ?? null;
}

/**
 * Validates a decision change against the database and merges it over the current value. Setting
 * the status to accepted or rejected without a `decidedAt` stamps it with `now`.
 */
export async function resolveDecision(tx: DbOrTx, docId: string, current: DecisionValue | null, input: DecisionInput, now: number): Promise<DecisionValue> {
  const base: DecisionValue = current ?? { status: 'proposed', owners: [], supersedes: null, decidedAt: null };
  const next: DecisionValue = { ...base };
  if (input.status !== undefined) next.status = input.status;
  if (input.owners !== undefined) {
    const owners = [...new Set(input.owners)].sort();
    if (owners.length) {
      const found = await tx.select({ id: users.id }).from(users).where(inArray(users.id, owners)).all();
      const missing = owners.filter((o) => !found.some((f) => f.id === o));
      if (missing.length) throw unprocessable('Some decision owners are not people in this workspace.', { owners: missing });
    }
    next.owners = owners;
  }
  if (input.supersedes !== undefined) {
    if (input.supersedes === docId) throw unprocessable('A decision cannot supersede itself.', { field: 'decision.supersedes' });
    if (input.supersedes !== null) {
      const target = await tx.select({ kind: documents.kind }).from(documents).where(eq(documents.id, input.supersedes)).get();
      if (!target || target.kind !== 'decision') {
        throw unprocessable('`supersedes` must name another decision record.', { field: 'decision.supersedes' });
      }
    }
    next.supersedes = input.supersedes;
  }
  if (input.decidedAt !== undefined) next.decidedAt = input.decidedAt === null ? null : Date.parse(input.decidedAt);
  else if (next.status !== base.status && (next.status === 'accepted' || next.status === 'rejected')) next.decidedAt = now;
  return next;
}

export async function writeDecision(tx: DbOrTx, docId: string, value: DecisionValue): Promise<void> {
  await tx
    .insert(decisions)
    .values({ docId, status: value.status, supersedes: value.supersedes, decidedAt: value.decidedAt })
    .onConflictDoUpdate({ target: decisions.docId, set: { status: value.status, supersedes: value.supersedes, decidedAt: value.decidedAt } });
  await tx.delete(decisionOwners).where(eq(decisionOwners.docId, docId));
  if (value.owners.length) await tx.insert(decisionOwners).values(value.owners.map((userId) => ({ docId, userId })));
}

/** The decision a revision stored (its `decision` column), or null. */
export function parseStoredDecision(json: string | null): DecisionValue | null {
  return json ? (JSON.parse(json) as DecisionValue) : null;
}

/** A stored decision as a change that sets every field to it (a restore), validated like any other. */
export function decisionInputOf(value: DecisionValue): DecisionInput {
  return {
    status: value.status,
    owners: value.owners,
    supersedes: value.supersedes,
    decidedAt: value.decidedAt === null ? null : new Date(value.decidedAt).toISOString(),
  };
}
