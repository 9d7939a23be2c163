// The link from a brief item to the exact diff it summarizes: `/docs/<id>?diff=<from>..<to>`,
// which the document page reads to open its History panel on those two revisions.

import { docPath } from '../../router.tsx';

export interface RevisionPair {
  from: number;
  to: number;
}

/** The pair an item covers: from the last revision the reader saw (1 for a document new to them). */
export function itemPair(item: { fromRevision: number; toRevision: number }): RevisionPair {
  return { from: item.fromRevision > 0 ? item.fromRevision : 1, to: item.toRevision };
}

/** The document page on the diff of `pair`, or the plain page when there is nothing to compare. */
export function diffPath(docId: string, pair: RevisionPair): string {
  if (pair.from === pair.to) return docPath(docId);
  return `${docPath(docId)}?diff=${pair.from}..${pair.to}`;
}

/** `?diff=a..b` from a query string (positive whole numbers, a ≠ b), else null. */
export function parseDiffParam(search: string): RevisionPair | null {
  const value = new URLSearchParams(search).get('diff');
  const match = value ? /^(\d{1,9})\.\.(\d{1,9})$/.exec(value.trim()) : null;
  if (!match) return null;
  const from = Number(match[1]);
  const to = Number(match[2]);
  if (from < 1 || to < 1 || from === to) return null;
  return { from, to };
}
