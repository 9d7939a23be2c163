import type * as Y from 'yjs';
import { createAnchorResolver, docFromState, type ResolvedAnchor } from '../domain/anchors.ts';
import type { DocRow } from '../domain/model.ts';
import { markOrphaned, threadsOfDoc, type ThreadWithComments } from '../domain/threads.ts';
import type { DocContext } from './doc-context.ts';

export interface ListedThread extends ThreadWithComments {
  /** What the anchor covers in the body now; null for a document-level thread. */
  anchor: ResolvedAnchor | null;
}

/** A decoded body and its anchor resolver (which keeps each block's text once read). */
interface BodyView {
  state: Uint8Array;
  doc: Y.Doc;
  resolve: (start: Uint8Array, end: Uint8Array) => ResolvedAnchor;
}

/** Bodies whose threads were listed lately, most recent last: a listing reads the stored state (cheap) and decodes it again only when it changed. */
const views = new Map<string, BodyView>();
const VIEWS_MAX = 16;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}

/** The anchor resolver of the body whose stored state is `state`: the cached one when the state is byte for byte the same. */
function viewOf(docId: string, state: Uint8Array): BodyView {
  const cached = views.get(docId);
  views.delete(docId);
  if (cached && sameBytes(cached.state, state)) {
    views.set(docId, cached);
    return cached;
  }
  cached?.doc.destroy();
  const doc = docFromState(state);
  const view: BodyView = { state, doc, resolve: createAnchorResolver(doc) };
  views.set(docId, view);
  for (const [id, old] of views) {
    if (views.size <= VIEWS_MAX) break;
    old.doc.destroy();
    views.delete(id);
  }
  return view;
}

/**
 * The threads of a document (the caller was authorized to read it), oldest first, each anchor
 * resolved against the current body: live edits included, since every edit is in the update log
 * before anyone sees it. A change of orphaned state is stored for readers that do not open the body.
 */
export async function listThreads(ctx: Pick<DocContext, 'db' | 'docs'>, doc: DocRow, status: 'open' | 'resolved' | 'all' = 'all'): Promise<ListedThread[]> {
  const found = await threadsOfDoc(ctx.db, doc.id, status);
  if (!found.some((t) => t.thread.anchorStart)) return found.map((t) => ({ ...t, anchor: null }));
  const { resolve } = viewOf(doc.id, await ctx.docs.loadState(ctx.db, doc.id));
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
}
