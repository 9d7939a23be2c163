// Highlights the text that comment threads are anchored on, without touching the document: the
// CSS Custom Highlight API paints DOM Ranges (`::highlight(handoff-comment)` in editor.css), so
// no node, mark or attribute is added to the body (comments never change it). Each thread's
// relative positions are resolved against the live Y.Doc, mapped to the editor's nodes and from
// there to DOM ranges — again after every editor update (typing, remote changes) and whenever
// the threads, the thread in focus or the draft change.

import type { LexicalEditor } from 'lexical';
import { useEffect, useRef } from 'react';
import type * as Y from 'yjs';
import type { Thread } from '../api/model.ts';
import { $domRangeOf, createSpanResolver } from './anchor-positions.ts';
import type { CommentsController, LivePosition } from './comments-controller.ts';

export const HIGHLIGHT_OPEN = 'handoff-comment';
export const HIGHLIGHT_ACTIVE = 'handoff-comment-active';
export const HIGHLIGHT_DRAFT = 'handoff-comment-draft';

/** How often, at most, the ranges are computed again while the text changes. */
const RECOMPUTE_MS = 40;

function highlightsSupported(): boolean {
  return typeof CSS !== 'undefined' && 'highlights' in CSS && typeof Highlight !== 'undefined';
}

/** The thread whose range is under a point (the shortest one when several overlap). */
function threadAt(ranges: ReadonlyMap<string, Range>, x: number, y: number): string | null {
  let best: { id: string; length: number } | null = null;
  for (const [id, range] of ranges) {
    const hit = [...range.getClientRects()].some((r) => x >= r.left && x <= r.right && y >= r.top && y <= r.bottom);
    if (!hit) continue;
    const length = range.toString().length;
    if (!best || length < best.length) best = { id, length };
  }
  return best?.id ?? null;
}

function prefersReducedMotion(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/**
 * Paints the threads' ranges in the editor, tells the controller where each thread's text is
 * (`ready`: the editor has the server's content, so a thread it cannot find has lost its text),
 * selects a thread when its highlight is clicked and scrolls to the thread in focus on request.
 */
export function useCommentHighlights({
  editor,
  doc,
  threads,
  controller,
  ready,
}: {
  editor: LexicalEditor;
  doc: Y.Doc;
  threads: readonly Thread[];
  controller: CommentsController;
  ready: boolean;
}): void {
  /** The ranges found in the last pass, by thread (the open ones and the one in focus). */
  const ranges = useRef<Map<string, Range>>(new Map());
  /** The last reveal request carried out (requests made before the editor loaded count too). */
  const revealed = useRef(0);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const supported = highlightsSupported();

    const run = () => {
      timer = null;
      const state = controller.getState();
      const resolve = createSpanResolver(doc);
      const live = new Map<string, LivePosition>();
      const found = new Map<string, Range>();
      let draft: Range | null = null;
      editor.getEditorState().read(() => {
        for (const thread of threads) {
          if (!thread.anchor) continue;
          const span = resolve(thread.anchor.relative.start, thread.anchor.relative.end);
          if (!span) continue;
          live.set(thread.id, { block: span.block, offset: span.from });
          if (thread.status !== 'open' && thread.id !== state.activeThreadId) continue;
          const range = $domRangeOf(editor, span, span.blockText);
          if (range) found.set(thread.id, range);
        }
        const anchor = state.draft?.anchor;
        const span = anchor ? resolve(anchor.relative.start, anchor.relative.end) : null;
        if (span) draft = $domRangeOf(editor, span, span.blockText);
      });
      ranges.current = found;

      if (supported) {
        const active = state.activeThreadId ? found.get(state.activeThreadId) : undefined;
        const others = [...found].filter(([id]) => id !== state.activeThreadId).map(([, range]) => range);
        const activeHighlight = new Highlight(...(active ? [active] : []));
        activeHighlight.priority = 1;
        const draftHighlight = new Highlight(...(draft ? [draft] : []));
        draftHighlight.priority = 2;
        CSS.highlights.set(HIGHLIGHT_OPEN, new Highlight(...others));
        CSS.highlights.set(HIGHLIGHT_ACTIVE, activeHighlight);
        CSS.highlights.set(HIGHLIGHT_DRAFT, draftHighlight);
      }

      // Scroll to the thread in focus when asked (a sidebar click, a "Waiting on you" link), once
      // its text is on screen; give up once the editor knows it has none (orphaned, or on the
      // whole document).
      const activeId = state.activeThreadId;
      if (state.revealRequest !== revealed.current && activeId) {
        const active = found.get(activeId);
        if (active) {
          revealed.current = state.revealRequest;
          const target = active.startContainer instanceof Element ? active.startContainer : active.startContainer.parentElement;
          target?.scrollIntoView({ block: 'center', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
        } else if (ready && threads.some((t) => t.id === activeId) && !live.has(activeId)) {
          revealed.current = state.revealRequest;
        }
      }

      if (ready) controller.setLive(live);
    };

    const schedule = () => {
      if (timer === null) timer = setTimeout(run, RECOMPUTE_MS);
    };
    run();
    const stopUpdates = editor.registerUpdateListener(schedule);
    const stopState = controller.subscribe(schedule);
    return () => {
      if (timer !== null) clearTimeout(timer);
      stopUpdates();
      stopState();
      if (supported) for (const name of [HIGHLIGHT_OPEN, HIGHLIGHT_ACTIVE, HIGHLIGHT_DRAFT]) CSS.highlights.delete(name);
    };
  }, [editor, doc, threads, controller, ready]);

  // A click on highlighted text puts its thread in focus (and its card in view).
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      const id = threadAt(ranges.current, event.clientX, event.clientY);
      if (id && id !== controller.getState().activeThreadId) controller.select(id, { focusCard: true });
    };
    let current: HTMLElement | null = null;
    const stop = editor.registerRootListener((root, previous) => {
      previous?.removeEventListener('click', onClick);
      root?.addEventListener('click', onClick);
      current = root;
    });
    return () => {
      stop();
      current?.removeEventListener('click', onClick);
    };
  }, [editor, controller]);
}
