import { documents, eq } from '@handoff/db';
import { decisionOf, type DecisionValue } from '../domain/decisions.ts';
import { notFound } from '../domain/errors.ts';
import { handoffOf } from '../domain/handoffs.ts';
import type { DocRow, UserRow } from '../domain/model.ts';
import type { ReadCache } from '../domain/read-cache.ts';
import { spaceAccess } from '../policies/access.ts';
import { recordView } from './record-view.ts';
import type { CommandContext } from './transaction.ts';

export type GetDocContext = Pick<CommandContext, 'db' | 'clock'> & { cache: ReadCache };

/**
 * A document the caller may read, as the API answers it (`serialize` is the presenter, run once per
 * revision: the read cache keeps the serialized answer), and — unless `peek` — marks it seen. The
 * hottest read: served from the read cache, which the committed events of every write in this
 * process invalidate, so a reader never sees a document or role older than the last write.
 */
export async function getDoc(
  ctx: GetDocContext,
  user: UserRow,
  id: string,
  options: { peek: boolean; serialize: (doc: DocRow, decision: DecisionValue | null, handoff: { to: string[] } | null) => string },
): Promise<{ doc: DocRow; json: string }> {
  const { db, cache } = ctx;
  const entry = await cache.doc(id, async () => {
    const doc = await db.select().from(documents).where(eq(documents.id, id)).get();
    if (!doc) return null;
    const decision = doc.kind === 'decision' ? await decisionOf(db, doc.id) : null;
    return { doc, json: options.serialize(doc, decision, await handoffOf(db, doc)) };
  });
  const role = entry ? await cache.roleIn(user.id, entry.doc.spaceId, async () => (await spaceAccess(db, user, entry.doc.spaceId))?.role ?? null) : null;
  if (!entry || !role) throw notFound('Document');
  if (!options.peek) await recordView(ctx, user.id, entry.doc);
  return entry;
}
