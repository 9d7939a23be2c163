import { diffArrays, diffChars } from 'diff';
import {
  $getNodeByKey,
  $getRoot,
  $isElementNode,
  $isTextNode,
  $parseSerializedNode,
  $setSelection,
  type ElementNode,
  type LexicalNode,
  type NodeKey,
  type SerializedLexicalNode,
  type TextNode,
} from 'lexical';
import { $markdownToNodes, $nodesToMarkdown, type MarkdownImportOptions } from '@handoff/shared/markdown';

/**
 * Turning a body into a new one (a REST PATCH's Markdown, or a revision's Lexical JSON on restore)
 * with as few Yjs changes as possible, so that what did not change keeps its Yjs identity: a
 * concurrent live edit inside it survives the merge, and so does a comment anchor (a Yjs relative
 * position bound to a character).
 *
 * Top-level blocks whose key (Markdown, or JSON) is the same are kept as they are (a longest common
 * subsequence over the keys). Between two kept blocks, an old and a new block of the same kind —
 * same node type and the same properties that matter — are *morphed*: the old node stays and its
 * children are reconciled the same way, recursively (list items, nested lists, links …); a text
 * node of the same format gets only its changed characters (a character diff, applied so that
 * `@lexical/yjs` writes each changed run as one splice). A block is replaced only when nothing in
 * the old body has its shape. Old and new blocks are paired in order by shape and by shared words,
 * so that when a paragraph is deleted and the next one edited, the edit does not land in the
 * deleted one's place.
 */

/** The editor a body is edited through: each call is one discrete Lexical update synced to Yjs. */
export interface BodyEditor {
  update(fn: () => void): void;
  read<T>(fn: () => T): T;
}

/**
 * How nodes are compared. `markdown` (a PATCH): kept blocks are those whose Markdown is the same,
 * and element properties Markdown cannot express (alignment, indent, direction, the format of text
 * typed into an empty block) stay as they were. `exact` (a restore): everything is compared and
 * restored, formatting Markdown cannot carry included.
 */
type Mode = 'markdown' | 'exact';

/** Element properties that a morph sets in place rather than a reason to replace the node. */
const SOFT_ELEMENT_KEYS = ['direction', 'format', 'indent', 'textFormat', 'textStyle', 'value', 'checked'] as const;
/** …and of those, the ones Markdown does express (list numbering, task checkboxes). */
const MARKDOWN_ELEMENT_KEYS = new Set(['value', 'checked']);

/** A text node's pending character changes: runs of the old text, left to right, in old offsets. */
interface TextEdit {
  key: NodeKey;
  hunks: Hunk[];
}
interface Hunk {
  at: number;
  remove: number;
  insert: string;
}

/** More runs than this in one text node are written as one splice (bounded number of updates). */
const MAX_HUNKS = 32;
/**
 * The character diff costs about (length × edit distance) steps; beyond this budget it gives up and
 * one splice is written (a few milliseconds at most, whatever the text).
 */
const DIFF_BUDGET = 2_000_000;

interface Plan {
  mode: Mode;
  changed: boolean;
  edits: TextEdit[];
}

/** A node and everything below it as Lexical JSON (element `exportJSON` leaves children out). */
export function $exportDeep(node: LexicalNode): SerializedLexicalNode {
  const json = node.exportJSON();
  if ($isElementNode(node)) return { ...json, children: node.getChildren().map($exportDeep) } as SerializedLexicalNode;
  return json;
}

/** `node`'s own properties (no children, no text), minus the soft ones of an element. */
function hardKey(node: LexicalNode): string {
  const json = { ...node.exportJSON() } as Record<string, unknown>;
  delete json.children;
  if ($isTextNode(node)) {
    // A token (a mention) or segmented node is atomic: its text is part of what it is.
    if (node.getMode() === 'normal') delete json.text;
  } else if ($isElementNode(node)) {
    for (const key of SOFT_ELEMENT_KEYS) delete json[key];
  }
  return JSON.stringify(json);
}

/** The key of a nested node for keeping it unchanged: its whole JSON, soft properties left out in Markdown mode. */
function deepKeyOf(mode: Mode): (node: LexicalNode) => string {
  if (mode === 'exact') return (n) => JSON.stringify($exportDeep(n));
  const strip = (json: Record<string, unknown>): unknown => {
    if (!Array.isArray(json.children)) return json;
    const out: Record<string, unknown> = { ...json, children: (json.children as Array<Record<string, unknown>>).map(strip) };
    for (const key of SOFT_ELEMENT_KEYS) if (!MARKDOWN_ELEMENT_KEYS.has(key)) delete out[key];
    return out;
  };
  return (n) => JSON.stringify(strip($exportDeep(n) as unknown as Record<string, unknown>));
}

/** Whether `next` can be written into `old` in place: same type and the same hard properties. */
function sameShape(old: LexicalNode, next: LexicalNode): boolean {
  if (old.getType() !== next.getType()) return false;
  if ($isTextNode(next) && next.getTextContentSize() === 0) return false;
  if (!$isElementNode(old) && !$isTextNode(old)) return false; // line breaks, decorators: kept or replaced
  return hardKey(old) === hardKey(next);
}

const WORD = /[\p{L}\p{N}]+/gu;

/** A node's words (lower case), counted. */
function wordsOf(node: LexicalNode): { n: number; counts: Map<string, number> } {
  const words = node.getTextContent().toLowerCase().match(WORD) ?? [];
  const counts = new Map<string, number>();
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  return { n: words.length, counts };
}

/** The words two texts share: how many, and how many characters they hold. */
function shared(a: ReturnType<typeof wordsOf>, b: ReturnType<typeof wordsOf>): { words: number; chars: number } {
  let words = 0;
  let chars = 0;
  for (const [w, n] of a.counts) {
    const m = Math.min(n, b.counts.get(w) ?? 0);
    words += m;
    chars += m * w.length;
  }
  return { words, chars };
}

type Step = { op: 'keep'; old: LexicalNode } | { op: 'remove'; old: LexicalNode } | { op: 'add'; next: LexicalNode } | { op: 'morph'; old: LexicalNode; next: LexicalNode };

/** Above this many (old × new) candidates a region is paired by a plain LCS instead of by weight. */
const WEIGHTED_PAIRING_MAX = 40_000;

/**
 * Pairs the old and new nodes between two kept ones, in order: same shape, and for elements
 * (blocks, list items) enough shared words (half of the shorter one's) to be the same block
 * edited rather than another one; among the possible pairings the one sharing the most word
 * characters (so when text nodes merge into one, the longest keeps its characters). What is left
 * between two pairs is paired position by position when the counts match and the shapes at a
 * position do (a block rewritten in place). The rest is removed and added.
 */
function $pairRegion(olds: LexicalNode[], nexts: LexicalNode[]): Step[] {
  const oldWords = olds.map(wordsOf);
  const newWords = nexts.map(wordsOf);
  /** How much pairing old i with new j keeps (0: they cannot be paired). */
  const weight = (i: number, j: number): number => {
    const o = olds[i]!;
    if (!sameShape(o, nexts[j]!)) return 0;
    const a = oldWords[i]!;
    const b = newWords[j]!;
    const common = shared(a, b);
    if ($isElementNode(o)) {
      const fewer = Math.min(a.n, b.n);
      if (fewer === 0 ? a.n !== b.n : common.words * 2 < fewer) return 0;
    }
    return 1 + common.chars;
  };
  const pairs: Array<[number, number]> = [];
  if (olds.length * nexts.length <= WEIGHTED_PAIRING_MAX) {
    // Heaviest common subsequence (dynamic programming over the region).
    const w = nexts.length + 1;
    const best = new Float64Array((olds.length + 1) * w);
    const gain = new Float64Array((olds.length + 1) * w);
    for (let i = 1; i <= olds.length; i++) {
      for (let j = 1; j <= nexts.length; j++) {
        const g = weight(i - 1, j - 1);
        gain[i * w + j] = g;
        best[i * w + j] = Math.max(best[(i - 1) * w + j]!, best[i * w + j - 1]!, g > 0 ? best[(i - 1) * w + j - 1]! + g : 0);
      }
    }
    for (let i = olds.length, j = nexts.length; i > 0 && j > 0; ) {
      const here = best[i * w + j]!;
      const g = gain[i * w + j]!;
      if (g > 0 && here === best[(i - 1) * w + j - 1]! + g) {
        pairs.push([i - 1, j - 1]);
        i--;
        j--;
      } else if (here === best[(i - 1) * w + j]!) i--;
      else j--;
    }
    pairs.reverse();
  } else {
    const parts = diffArrays(
      olds.map((_, i) => i),
      nexts.map((_, j) => j),
      { comparator: (i, j) => weight(i, j) > 0 },
    );
    let oi = 0;
    let ni = 0;
    for (const part of parts) {
      const n = part.count ?? part.value.length;
      if (part.removed) oi += n;
      else if (part.added) ni += n;
      else for (let k = 0; k < n; k++) pairs.push([oi++, ni++]);
    }
  }

  const steps: Step[] = [];
  let loose: { olds: LexicalNode[]; nexts: LexicalNode[] } = { olds: [], nexts: [] };
  const settle = () => {
    const { olds: o, nexts: n } = loose;
    if (o.length === n.length) {
      o.forEach((node, i) => {
        if (sameShape(node, n[i]!)) steps.push({ op: 'morph', old: node, next: n[i]! });
        else steps.push({ op: 'remove', old: node }, { op: 'add', next: n[i]! });
      });
    } else {
      for (const node of o) steps.push({ op: 'remove', old: node });
      for (const node of n) steps.push({ op: 'add', next: node });
    }
    loose = { olds: [], nexts: [] };
  };
  let oi = 0;
  let ni = 0;
  for (const [i, j] of pairs) {
    while (oi < i) loose.olds.push(olds[oi++]!);
    while (ni < j) loose.nexts.push(nexts[ni++]!);
    settle();
    steps.push({ op: 'morph', old: olds[oi++]!, next: nexts[ni++]! });
  }
  while (oi < olds.length) loose.olds.push(olds[oi++]!);
  while (ni < nexts.length) loose.nexts.push(nexts[ni++]!);
  settle();
  return steps;
}

/** Makes `parent`'s children equal to `next` (see the module comment). */
function $reconcileChildren(parent: ElementNode, next: LexicalNode[], keyOf: (node: LexicalNode) => string, plan: Plan): void {
  const olds = parent.getChildren();
  const parts = diffArrays(olds.map(keyOf), next.map(keyOf));
  const steps: Step[] = [];
  let oi = 0;
  let ni = 0;
  let regionOld: LexicalNode[] = [];
  let regionNew: LexicalNode[] = [];
  const flush = () => {
    if (regionOld.length || regionNew.length) steps.push(...$pairRegion(regionOld, regionNew));
    regionOld = [];
    regionNew = [];
  };
  for (const part of parts) {
    const n = part.count ?? part.value.length;
    if (part.removed) for (let i = 0; i < n; i++) regionOld.push(olds[oi++]!);
    else if (part.added) for (let i = 0; i < n; i++) regionNew.push(next[ni++]!);
    else {
      flush();
      for (let i = 0; i < n; i++, ni++) steps.push({ op: 'keep', old: olds[oi++]! });
    }
  }
  flush();

  let anchor: LexicalNode | null = null;
  for (const step of steps) {
    if (step.op === 'remove') {
      step.old.remove();
      plan.changed = true;
    } else if (step.op === 'add') {
      if (anchor) anchor.insertAfter(step.next);
      else {
        const first = parent.getFirstChild();
        if (first) first.insertBefore(step.next);
        else parent.append(step.next);
      }
      anchor = step.next;
      plan.changed = true;
    } else {
      if (step.op === 'morph') $morph(step.old, step.next, plan);
      anchor = step.old;
    }
  }
}

/** Writes `next` into `old` (same shape): soft properties, then children or text. */
function $morph(old: LexicalNode, next: LexicalNode, plan: Plan): void {
  if ($isTextNode(old) && $isTextNode(next)) {
    const from = old.getTextContent();
    const to = next.getTextContent();
    if (from !== to) {
      plan.edits.push({ key: old.getKey(), hunks: textHunks(from, to) });
      plan.changed = true;
    }
    return;
  }
  if (!$isElementNode(old) || !$isElementNode(next)) return;
  if ($morphSoftProperties(old, next, plan.mode)) plan.changed = true;
  $reconcileChildren(old, next.getChildren(), deepKeyOf(plan.mode), plan);
}

/** A list item (from `@lexical/list`, which only the shared node set depends on). */
interface ListItemLike extends ElementNode {
  getValue(): number;
  setValue(value: number): unknown;
  getChecked(): boolean | undefined;
  setChecked(checked?: boolean): unknown;
}
const isListItem = (node: ElementNode): node is ListItemLike => node.getType() === 'listitem';

/** Sets the soft properties of `old` that `mode` carries from `next`; whether any changed. */
function $morphSoftProperties(old: ElementNode, next: ElementNode, mode: Mode): boolean {
  let changed = false;
  const set = <T>(now: T, wanted: T, write: (value: T) => unknown) => {
    if (now === wanted) return;
    write(wanted);
    changed = true;
  };
  if (isListItem(old) && isListItem(next)) {
    set(old.getValue(), next.getValue(), (v) => old.setValue(v));
    set(old.getChecked(), next.getChecked(), (v) => old.setChecked(v));
  }
  if (mode === 'exact') {
    set(old.getDirection(), next.getDirection(), (v) => old.setDirection(v));
    set(old.getFormatType(), next.getFormatType(), (v) => old.setFormat(v));
    set(old.getIndent(), next.getIndent(), (v) => old.setIndent(v));
    set(old.getTextFormat(), next.getTextFormat(), (v) => old.setTextFormat(v));
    set(old.getTextStyle(), next.getTextStyle(), (v) => old.setTextStyle(v));
  }
  return changed;
}

/**
 * The runs that turn `from` into `to`: a character diff (common prefix and suffix first), with
 * small equalities between larger changes folded into them, so that rewording keeps no stray
 * letters of the old words while an edited word keeps its untouched characters.
 */
export function textHunks(from: string, to: string): Hunk[] {
  let prefix = 0;
  const max = Math.min(from.length, to.length);
  while (prefix < max && from.charCodeAt(prefix) === to.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && from.charCodeAt(from.length - 1 - suffix) === to.charCodeAt(to.length - 1 - suffix)) suffix++;
  const a = from.slice(prefix, from.length - suffix);
  const b = to.slice(prefix, to.length - suffix);
  if (!a || !b) return a || b ? [{ at: prefix, remove: a.length, insert: b }] : [];
  const changes = diffChars(a, b, { maxEditLength: Math.max(16, Math.floor(DIFF_BUDGET / (a.length + b.length))) });
  if (!changes) return [{ at: prefix, remove: a.length, insert: b }];

  // Alternating equalities and edits.
  type Seg = { eq: string } | { del: string; ins: string };
  const segs: Seg[] = [];
  for (const c of changes) {
    const last = segs[segs.length - 1];
    if (!c.added && !c.removed) segs.push({ eq: c.value });
    else if (last && 'del' in last) {
      if (c.added) last.ins += c.value;
      else last.del += c.value;
    } else segs.push(c.added ? { del: '', ins: c.value } : { del: c.value, ins: '' });
  }
  // Fold an equality no longer than the changes on both sides of it into them (diff-match-patch's
  // semantic clean-up, simplified), until none is left to fold.
  for (let folded = true; folded; ) {
    folded = false;
    for (let i = 1; i + 1 < segs.length; i++) {
      const before = segs[i - 1]!;
      const eq = segs[i]!;
      const after = segs[i + 1]!;
      if (!('eq' in eq) || !('del' in before) || !('del' in after)) continue;
      const n = eq.eq.length;
      if (n <= Math.max(before.del.length, before.ins.length) && n <= Math.max(after.del.length, after.ins.length)) {
        segs.splice(i - 1, 3, { del: before.del + eq.eq + after.del, ins: before.ins + eq.eq + after.ins });
        folded = true;
        break;
      }
    }
  }
  const hunks: Hunk[] = [];
  let at = prefix;
  for (const seg of segs) {
    if ('eq' in seg) at += seg.eq.length;
    else {
      hunks.push({ at, remove: seg.del.length, insert: seg.ins });
      at += seg.del.length;
    }
  }
  if (hunks.length > MAX_HUNKS) return [{ at: prefix, remove: a.length, insert: b }];
  return hunks;
}

/**
 * Applies the text edits, one run per text node per Lexical update, right to left: `@lexical/yjs`
 * writes a text node's change in an update as one splice, so each update changes one run of each
 * node. Going right to left keeps the old offsets of the runs still to come valid, and never leaves
 * a text node empty on the way (Lexical would remove it).
 */
function applyTextEdits(editor: BodyEditor, edits: TextEdit[]): boolean {
  let ok = true;
  const pending = edits.map((e) => ({ key: e.key, hunks: [...e.hunks] }));
  while (ok && pending.some((e) => e.hunks.length)) {
    editor.update(() => {
      $setSelection(null);
      for (const edit of pending) {
        const hunk = edit.hunks.pop();
        if (!hunk) continue;
        const node = $getNodeByKey<TextNode>(edit.key);
        if (!$isTextNode(node) || node.getTextContentSize() < hunk.at + hunk.remove) {
          ok = false; // normalized away under us: the caller falls back to replacing blocks
          return;
        }
        const text = node.getTextContent();
        node.setTextContent(text.slice(0, hunk.at) + hunk.insert + text.slice(hunk.at + hunk.remove));
      }
    });
  }
  return ok;
}

/**
 * Makes the body equal to the nodes `build` returns (called inside an update; it may be called a
 * second time) — in place where it can (see the module comment). Checks the result against the
 * keys of the target, and if a node was normalized away under the edit, replaces the blocks that
 * still differ. Returns whether anything changed.
 */
function reconcileBody(editor: BodyEditor, build: () => LexicalNode[], keyOf: (node: LexicalNode) => string, mode: Mode): boolean {
  const plan: Plan = { mode, changed: false, edits: [] };
  let wanted: string[] = [];
  editor.update(() => {
    const next = build();
    wanted = next.map(keyOf);
    $reconcileChildren($getRoot(), next, keyOf, plan);
  });
  if (!plan.changed) return false;
  if (!plan.edits.length) return true; // the one update wrote everything
  let same = applyTextEdits(editor, plan.edits);
  if (same) {
    const got = editor.read(() => $getRoot().getChildren().map(keyOf));
    same = got.length === wanted.length && got.every((k, i) => k === wanted[i]);
  }
  if (!same) editor.update(() => void $replaceBlocks(build(), keyOf));
  return true;
}

/**
 * Makes the root's top-level blocks equal to `next` by replacing the blocks whose key differs as a
 * whole (no morphing): the fallback when an in-place edit could not be completed. Must run inside
 * `editor.update()`.
 */
export function $replaceBlocks(next: LexicalNode[], keyOf: (node: LexicalNode) => string): boolean {
  const root = $getRoot();
  const oldNodes = root.getChildren();
  const parts = diffArrays(oldNodes.map(keyOf), next.map(keyOf));
  let oldAt = 0;
  let newAt = 0;
  let anchor: LexicalNode | null = null;
  let changed = false;
  for (const part of parts) {
    const n = part.count ?? part.value.length;
    if (part.removed) {
      for (let i = 0; i < n; i++) oldNodes[oldAt++]?.remove();
      changed = true;
    } else if (part.added) {
      for (let i = 0; i < n; i++) {
        const node = next[newAt++];
        if (!node) continue;
        if (anchor) anchor.insertAfter(node);
        else {
          const first = root.getFirstChild();
          if (first) first.insertBefore(node);
          else root.append(node);
        }
        anchor = node;
      }
      changed = true;
    } else {
      oldAt += n;
      newAt += n;
      anchor = oldNodes[oldAt - 1] ?? anchor;
    }
  }
  return changed;
}

/**
 * The body becomes `markdown` (a PATCH): blocks compared by their Markdown, so a block whose
 * Markdown did not change keeps formatting Markdown cannot express; changed blocks are edited in
 * place where their shape allows. Runs its own updates (not inside one).
 */
export function replaceChangedBlocks(editor: BodyEditor, markdown: string, options?: MarkdownImportOptions): boolean {
  return reconcileBody(editor, () => $markdownToNodes(markdown, options), (n) => $nodesToMarkdown([n]), 'markdown');
}

/**
 * The body becomes the serialized top-level blocks `blocks` (a restore from a revision's stored
 * Lexical JSON): blocks compared by their full JSON, so a difference only in formatting (underline,
 * highlight, sub/superscript, …) is a difference and is restored — which Markdown cannot carry.
 * Runs its own updates (not inside one).
 */
export function replaceWithSerialized(editor: BodyEditor, blocks: SerializedLexicalNode[]): boolean {
  return reconcileBody(
    editor,
    () => blocks.map((b) => $parseSerializedNode(b)),
    (n) => JSON.stringify($exportDeep(n)),
    'exact',
  );
}
