// The document tree of a space, built from each document's parentId.

import type { DocSummary } from '../api/model.ts';

export interface DocTree {
  /** Children by parent id; the top level is under `null`. Sorted by title. */
  children: Map<string | null, DocSummary[]>;
  byId: Map<string, DocSummary>;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function buildTree(docs: DocSummary[]): DocTree {
  const byId = new Map(docs.map((d) => [d.id, d]));
  const children = new Map<string | null, DocSummary[]>();
  for (const doc of docs) {
    // A parent that is not in the list (trashed, or out of reach) puts the document at the top.
    const parent = doc.parentId && byId.has(doc.parentId) ? doc.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(doc);
    children.set(parent, list);
  }
  for (const list of children.values()) list.sort((a, b) => collator.compare(a.title, b.title));
  return { children, byId };
}

/** `id` and every document below it. */
export function subtreeIds(tree: DocTree, id: string): Set<string> {
  const out = new Set<string>([id]);
  const stack = [id];
  while (stack.length) {
    for (const child of tree.children.get(stack.pop()!) ?? []) {
      if (!out.has(child.id)) {
        out.add(child.id);
        stack.push(child.id);
      }
    }
  }
  return out;
}

/** The ids above `id`, nearest first. */
export function ancestorIds(tree: DocTree, id: string): string[] {
  const out: string[] = [];
  let at = tree.byId.get(id)?.parentId ?? null;
  while (at && tree.byId.has(at) && !out.includes(at)) {
    out.push(at);
    at = tree.byId.get(at)?.parentId ?? null;
  }
  return out;
}

/** Every document in tree order with its depth (for pickers). */
export function flatten(tree: DocTree): Array<{ doc: DocSummary; depth: number }> {
  const out: Array<{ doc: DocSummary; depth: number }> = [];
  const walk = (parent: string | null, depth: number) => {
    for (const doc of tree.children.get(parent) ?? []) {
      out.push({ doc, depth });
      walk(doc.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}
