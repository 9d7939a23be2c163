import type { ShownBrief } from '../domain/brief-store.ts';
import { iso, isoOrNull } from './time.ts';

/** A brief as the reader may see it now (see domain/brief-store.ts `showBrief`). */
export function presentBrief(b: ShownBrief) {
  return {
    id: b.row.id,
    userId: b.row.userId,
    since: iso(b.row.since),
    until: iso(b.row.until),
    writer: b.writer,
    readingSeconds: b.readingSeconds,
    markdown: b.markdown,
    items: b.items.map((i) => ({
      docId: i.docId,
      title: i.title,
      spaceId: i.spaceId,
      reasons: i.reasons,
      fromRevision: i.fromRevision,
      toRevision: i.toRevision,
      authors: i.authors.map((a) => a.id),
      summary: i.summary,
      diffUrl: i.diffUrl,
    })),
    omitted: b.omitted,
    createdAt: iso(b.row.createdAt),
    acknowledgedAt: isoOrNull(b.row.acknowledgedAt),
  };
}
