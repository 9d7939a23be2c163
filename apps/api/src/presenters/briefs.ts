import type { BriefPageRenderer, ShownBrief } from '../domain/brief-store.ts';
import type { UserRow } from '../domain/model.ts';
import { iso, isoOrNull } from './time.ts';

/** A brief as the reader may see it now (see commands/get-brief.ts). */
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
      threads: i.threads.map((t) => ({
        threadId: t.threadId,
        reason: t.reason,
        ...(t.askedBy ? { askedBy: t.askedBy.id } : {}),
        quote: t.quote,
        orphaned: t.orphaned,
        ...(t.resolvedBy ? { resolvedBy: t.resolvedBy.id } : {}),
        replies: t.replies.map((r) => ({ commentId: r.commentId, authorId: r.authorId, text: r.text, createdAt: iso(r.createdAt) })),
        newComments: t.commentIds.length,
        url: t.url,
      })),
      ...(i.otherThreads ? { otherThreads: i.otherThreads } : {}),
      ...(i.linkedVia ? { linkedVia: { docId: i.linkedVia.docId, title: i.linkedVia.title, direction: i.linkedVia.direction } } : {}),
      ...(i.handoff ? { handoff: { from: i.handoff.from.id, timezone: i.handoff.from.timezone, sections: i.handoff.sections } } : {}),
      ...(i.asks?.length ? { asks: i.asks.map((a) => ({ section: a.section, text: a.text, askedBy: a.askedBy.id, askedAt: iso(a.askedAt) })) } : {}),
    })),
    omitted: b.omitted,
    createdAt: iso(b.row.createdAt),
    acknowledgedAt: isoOrNull(b.row.acknowledgedAt),
  };
}

/** The brief as an e-mail-ready HTML page, in the reader's time zone. */
export function presentBriefPage(render: BriefPageRenderer, reader: UserRow, b: ShownBrief, publicUrl: string | undefined): string {
  return render({
    markdown: b.markdown,
    readerName: reader.name,
    timezone: reader.timezone,
    until: b.row.until,
    readingSeconds: b.readingSeconds,
    writer: b.writer,
    publicUrl,
  });
}
