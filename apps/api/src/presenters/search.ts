import type { SearchHit, SearchIndex } from '../domain/ports.ts';
import { iso } from './time.ts';

export function presentSearchResult(r: { hits: SearchHit[]; total: number; engine: SearchIndex['engine'] }) {
  return {
    hits: r.hits.map((h) => ({ docId: h.docId, title: h.title, snippet: h.snippet, spaceId: h.spaceId, kind: h.kind, updatedAt: iso(h.updatedAt) })),
    total: r.total,
    engine: r.engine,
  };
}
