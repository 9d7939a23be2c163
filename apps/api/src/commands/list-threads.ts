import { createAnchorResolver, docFromState, type ResolvedAnchor } from '../domain/anchors.ts';
import type { DocRow } from '../domain/model.ts';
import { markOrphaned, threadsOfDoc, type ThreadWithComments } from '../domain/threads.ts';
import type { DocContext } from './doc-context.ts';

export interface ListedThread extends ThreadWithComments {
  /** What the anchor covers in the body now; null for a document-level thread. */
  anchor: ResolvedAnchor | null;
}

/**
 * The threads of a document (the caller was authorized to read it), oldest first, each anchor
 * resolved against the current body: live edits included, since every edit is in the update log
 * before anyone sees it. A change of orphaned state is stored for readers that do not open the body.
 */
export async function listThreads(ctx: Pick<DocContext, 'db' | 'docs'>, doc: DocRow, status: 'open' | 'resolved' | 'all' = 'all'): Promise<ListedThread[]> {
  const found = await threadsOfDoc(ctx.db, doc.id, status);
  if (!found.some((t) => t.thread.anchorStart)) return found.map((t) => ({ ...t, anchor: null }));
  const body = docFromState(await ctx.docs.loadState(ctx.db, doc.id));
  try {
    const resolve = createAnchorResolver(body);
    const listed = found.map((t): ListedThread => {
      const { anchorStart, anchorEnd } = t.thread;
      return { ...t, anchor: anchorStart && anchorEnd ? resolve(anchorStart, anchorEnd) : null };
    });
    const flipped = listed.filter((t) => t.anchor && t.anchor.orphaned !== t.thread.orphaned);
    if (flipped.length) {
      await markOrphaned(ctx.db, flipped.filter((t) => t.anchor!.orphaned).map((t) => t.thread.id), true);
      await markOrphaned(ctx.db, flipped.filter((t) => !t.anchor!.orphaned).map((t) => t.thread.id), false);
    }
    return listed;
  } finally {
    body.destroy();
  }
}
