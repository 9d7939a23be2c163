import * as Y from 'yjs';
import type { SerializedEditorState, SerializedLexicalNode } from 'lexical';
import { $collectMentions, $rootToMarkdown, $rootToPlainText, $setRootFromMarkdown, type MarkdownImportOptions } from '@handoff/shared/markdown';
// The headless editor bound to a Y.Doc is the server's way to read and write bodies; re-exported
// so that the body store and the engine take it from the module that edits bodies.
import { applyRemoteUpdate, openHeadlessDoc, type HeadlessDoc } from './headless-doc.ts';
import { replaceChangedBlocks, replaceWithSerialized } from './block-replace.ts';

export { applyRemoteUpdate, openHeadlessDoc, type HeadlessDoc };

/** What a revision stores besides the Y.Doc state, all derived from the body. */
export interface DerivedBody {
  /** Lexical JSON. */
  content: string;
  markdown: string;
  text: string;
  /** Handles of the people mentioned. */
  mentions: string[];
}

export function derive(h: HeadlessDoc): DerivedBody {
  const { markdown, text, handles } = h.read(() => ({
    markdown: $rootToMarkdown(),
    text: $rootToPlainText(),
    handles: $collectMentions(),
  }));
  return { content: JSON.stringify(h.toJSON()), markdown, text, mentions: handles };
}

/**
 * Lets the event loop run (I/O, timers: live collaboration messages) between the heavy synchronous
 * steps of a body write. The local database client answers synchronously, so without this a whole
 * write — and several writes handing the write gate to one another — would run as one long chain
 * of microtasks that no socket can interrupt.
 */
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function isEmptyUpdate(update: Uint8Array): boolean {
  // An update with any struct or deletion is longer than two bytes: only tiny ones need a look.
  if (update.byteLength > 2) return false;
  const probe = new Y.Doc();
  Y.applyUpdate(probe, update);
  const empty = probe.store.clients.size === 0 && probe.store.pendingStructs === null;
  probe.destroy();
  return empty;
}

/** A new body from Markdown: its Y.Doc state and what a revision derives from it. */
export function bodyFromMarkdown(markdown: string, options: MarkdownImportOptions): { state: Uint8Array; derived: DerivedBody } {
  const h = openHeadlessDoc();
  try {
    h.update(() => $setRootFromMarkdown(markdown, options));
    return { state: Y.encodeStateAsUpdate(h.doc), derived: derive(h) };
  } finally {
    h.dispose();
  }
}

/**
 * The Yjs update that `edit` makes to the body at `baseState`, run in a headless editor on a copy;
 * null when it changes nothing. The update is meant to be merged into the current body (which may
 * have moved on since `baseState`), as a collaborator's edit would be. `edit` runs its own Lexical
 * updates (an in-place text edit takes one per changed run) and says whether it changed anything.
 */
async function forkAndEdit(baseState: Uint8Array, edit: (fork: HeadlessDoc) => boolean): Promise<Uint8Array | null> {
  const fork = openHeadlessDoc(baseState);
  try {
    await yieldToLoop();
    const before = Y.encodeStateVector(fork.doc);
    if (!edit(fork)) return null;
    const update = Y.encodeStateAsUpdate(fork.doc, before);
    return isEmptyUpdate(update) ? null : update;
  } finally {
    fork.dispose();
  }
}

/**
 * The Yjs update that turns the body at `baseState` into `markdown` (a PATCH): unchanged blocks are
 * kept, changed blocks of the same shape are edited in place, character by character, so that
 * concurrent edits and comment anchors inside them survive; the rest is replaced.
 */
export function editToMarkdown(baseState: Uint8Array, markdown: string, options: MarkdownImportOptions): Promise<Uint8Array | null> {
  return forkAndEdit(baseState, (fork) => replaceChangedBlocks(fork, markdown, options));
}

/**
 * The Yjs update that turns the body at `baseState` into the body stored as Lexical JSON `content`
 * (a revision's), block by block, node for node: formatting Markdown cannot carry (underline,
 * highlight, sub/superscript) is restored too, and text is edited in place where the shape allows.
 * Never goes through Markdown.
 */
export function editToContent(baseState: Uint8Array, content: string): Promise<Uint8Array | null> {
  const state = JSON.parse(content) as SerializedEditorState;
  const blocks = (state.root?.children ?? []) as SerializedLexicalNode[];
  return forkAndEdit(baseState, (fork) => replaceWithSerialized(fork, blocks));
}
