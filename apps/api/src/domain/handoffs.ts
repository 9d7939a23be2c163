import { and, eq, handoffRecipients, inArray, isNull, users, type DbOrTx } from '@handoff/db';
import { unprocessable } from './errors.ts';
import type { DocRow } from './model.ts';

/**
 * A handoff note's recipients as the API names them (`to`): a user id, or `space:<id>`. Stored in
 * `handoff_recipients` keyed `user:<id>` / `space:<id>`.
 */
const SPACE = 'space:';
const USER = 'user:';

const keyOf = (to: string) => (to.startsWith(SPACE) ? to : `${USER}${to}`);
const toOf = (key: string) => (key.startsWith(USER) ? key.slice(USER.length) : key);

/**
 * The recipients of several handoff notes in one query (notes without recipients map to `[]` only
 * when listed in `docIds`), each list sorted.
 */
export async function recipientsOf(db: DbOrTx, docIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(docIds.map((id) => [id, []]));
  if (!docIds.length) return out;
  const rows = await db
    .select({ docId: handoffRecipients.docId, recipient: handoffRecipients.recipient })
    .from(handoffRecipients)
    .where(inArray(handoffRecipients.docId, [...docIds]))
    .all();
  for (const r of rows) out.get(r.docId)?.push(toOf(r.recipient));
  for (const list of out.values()) list.sort();
  return out;
}

/** The `handoff` of a document's responses: `{to}` for a handoff note, null for any other kind. */
export async function handoffOf(db: DbOrTx, doc: { id: string; kind: string }): Promise<{ to: string[] } | null> {
  if (doc.kind !== 'handoff') return null;
  return { to: (await recipientsOf(db, [doc.id])).get(doc.id) ?? [] };
}

/**
 * Checks that every recipient is an active person of the workspace or a space in
 * `readableSpaceIds` (the author's, from the access policy); 422 naming the others. A space the
 * author may not read is as unknown as one that does not exist.
 */
export async function checkRecipients(db: DbOrTx, to: readonly string[], readableSpaceIds: readonly string[]): Promise<void> {
  const readable = new Set(readableSpaceIds);
  const userIds = to.filter((r) => !r.startsWith(SPACE));
  const found = userIds.length
    ? new Set((await db.select({ id: users.id }).from(users).where(and(inArray(users.id, userIds), isNull(users.deactivatedAt))).all()).map((u) => u.id))
    : new Set<string>();
  const unknown = to.filter((r) => (r.startsWith(SPACE) ? !readable.has(r.slice(SPACE.length)) : !found.has(r)));
  if (unknown.length) throw unprocessable('Some recipients are not people of this workspace or spaces you can read.', { field: 'handoff.to', unknown });
}

/** Replaces a note's recipients (inside the revision's transaction); true when they changed. */
export async function writeRecipients(tx: DbOrTx, docId: string, to: readonly string[], now: number): Promise<boolean> {
  const next = [...new Set(to.map(keyOf))].sort();
  const before = (await tx.select({ recipient: handoffRecipients.recipient }).from(handoffRecipients).where(eq(handoffRecipients.docId, docId)).all())
    .map((r) => r.recipient)
    .sort();
  if (before.length === next.length && before.every((r, i) => r === next[i])) return false;
  const kept = new Set(before.filter((r) => next.includes(r)));
  const gone = before.filter((r) => !kept.has(r));
  if (gone.length) await tx.delete(handoffRecipients).where(and(eq(handoffRecipients.docId, docId), inArray(handoffRecipients.recipient, gone)));
  const added = next.filter((r) => !kept.has(r));
  if (added.length) {
    await tx.insert(handoffRecipients).values(
      added.map((recipient) => ({
        docId,
        recipient,
        userId: recipient.startsWith(USER) ? recipient.slice(USER.length) : null,
        spaceId: recipient.startsWith(SPACE) ? recipient.slice(SPACE.length) : null,
        createdAt: now,
      })),
    );
  }
  return true;
}

/** One note of the handoff log (its body left out). */
export interface HandoffLogEntry {
  doc: DocRow;
  author: { id: string; name: string };
  to: string[];
  counts: { done: number; next: number; blocked: number; decisions: number };
}

/** The notes written on one day, in the reader's time zone. */
export interface HandoffLogDay {
  date: string;
  handoffs: HandoffLogEntry[];
}
