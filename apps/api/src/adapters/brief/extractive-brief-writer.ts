import { DateTime } from 'luxon';
import { MAX_QUOTE_CHARS, REASON_ORDER, readingSecondsOf } from '../../domain/build-brief.ts';
import type { BriefDraft, BriefHandoffAsk, BriefItemFacts, BriefLinkedVia, BriefReason, BriefThreadFacts, BriefWriter, WrittenBrief } from '../../domain/ports.ts';

/**
 * The default brief writer: offline and deterministic. Markdown built only from the facts, most
 * important first, grouped by the main reason of each item. Every piece of text that comes from a
 * document, a person or a message is made inert (see `inert`), so a title like
 * `<img src=x onerror=…>` or `[click](https://evil.example)` shows as the characters it is.
 */
export class ExtractiveBriefWriter implements BriefWriter {
  readonly name = 'extractive' as const;

  async write(draft: BriefDraft): Promise<WrittenBrief> {
    return writeExtractive(draft);
  }
}

const GROUP_TITLES: Record<BriefReason, string> = {
  handoff: 'Handoffs to you',
  decision: 'Decisions',
  asked: 'Questions for you',
  thread: 'Replies in your threads',
  mention: 'You were mentioned',
  owner: 'Your documents',
  watch: 'Documents you watch',
  linked: 'Linked with your documents',
  new: 'New in your spaces',
};

const REASON_PHRASES: Record<BriefReason, string> = {
  handoff: 'a handoff note addressed to you',
  decision: 'a decision changed',
  asked: 'you were asked in a comment',
  thread: 'new replies in a thread you are in',
  mention: 'you were mentioned',
  owner: 'you wrote or edited it',
  watch: 'you watch it',
  linked: 'it is linked with a document of yours',
  new: 'new in a space you belong to or work in',
};

export function writeExtractive(draft: BriefDraft): WrittenBrief {
  const sections: string[] = [];
  const summaries: Record<string, string> = {};
  for (const reason of REASON_ORDER) {
    const group = draft.items.filter((item) => item.reasons[0] === reason);
    if (!group.length) continue;
    sections.push(`## ${GROUP_TITLES[reason]}`);
    for (const item of group) {
      sections.push(itemMarkdown(item));
      summaries[item.docId] = itemSummary(item);
    }
  }
  if (draft.omitted > 0) {
    sections.push(`_${draft.omitted === 1 ? 'One more change was' : `${draft.omitted} more changes were`} left out to keep this brief short._`);
  }
  const when = localTime(draft.since, draft.reader.timezone);
  const body = sections.join('\n\n');
  const n = draft.items.length;
  let header: string;
  if (n === 0) {
    header = `**Nothing new for you** since ${when}. You are caught up.`;
  } else {
    const minutes = Math.max(1, Math.round(readingSecondsOf(body) / 60));
    header = `**${n === 1 ? '1 change' : `${n} changes`} for you** since ${when}, about ${minutes === 1 ? '1 minute' : `${minutes} minutes`} to read.`;
  }
  return { writer: 'extractive', markdown: `${[header, body].filter(Boolean).join('\n\n')}\n`, summaries };
}

/** Whether the item tells of a change of the body (an item of comment threads only does not). */
const bodyChanged = (item: BriefItemFacts) => item.fromRevision !== item.toRevision;

function itemMarkdown(item: BriefItemFacts): string {
  const parts: string[] = [];
  parts.push(`### [${inert(item.title || 'Untitled', 200)}](${item.diffUrl})`);

  const facts: string[] = [];
  if (item.decisionPath.length) facts.push(`Status: ${statusPath(item.decisionPath, (s) => inert(s, 40), (s) => `**${s}**`)}`);
  facts.push(`in ${inert(item.spaceName, 100)}`);
  if (item.fromRevision === 0) facts.push('new document');
  if (item.renamedFrom) facts.push(`renamed from “${inert(item.renamedFrom, 200)}”`);
  parts.push(facts.join(' · '));
  if (item.handoff) parts.push(handoffMarkdown(item));
  for (const ask of item.asks ?? []) parts.push(`**${askHead(ask, (s) => inert(s, 100))}:** “${inert(ask.text)}”`);
  if (item.linkedVia) parts.push(`${item.fromRevision === 0 ? 'New' : 'Changed'}: ${linkedLine(item.title, item.linkedVia, (s) => `*${inert(s || 'Untitled', 200)}*`)}.`);

  if (bodyChanged(item)) {
    const who = people(item.authors.map((a) => inert(a.name, 100)));
    const verb = item.fromRevision > 0 ? 'Changed' : item.toRevision > 1 ? 'Created and edited' : 'Created';
    if (item.messages.length) {
      parts.push(`${verb} by ${who}. Why:\n${item.messages.map((m) => `- “${inert(m.text)}” (${inert(m.author, 100)})`).join('\n')}`);
    } else {
      parts.push(`${verb} by ${who}.`);
    }
  }
  if (item.sections.length) parts.push(`Sections: ${item.sections.map((s) => inert(s, 120)).join(', ')}`);
  if (item.added.length) parts.push(`Added:\n${item.added.map((s) => `- “${inert(s)}”`).join('\n')}`);
  if (item.removed.length) parts.push(`Removed:\n${item.removed.map((s) => `- “${inert(s)}”`).join('\n')}`);
  for (const thread of item.threads) parts.push(threadMarkdown(thread));
  if (item.otherThreads) {
    parts.push(`_${item.otherThreads === 1 ? 'One more thread has' : `${item.otherThreads} more threads have`} new comments: [open the document](${docPathOf(item)})._`);
  }
  const why = item.reasons.map((r) => {
    if (r === 'linked' && item.linkedVia) return linkedPhrase(item.linkedVia, (s) => `*${inert(s || 'Untitled', 200)}*`);
    if (r === 'asked') return askedPhrase(item);
    return REASON_PHRASES[r];
  });
  parts.push(`_Why you see this: ${why.join('; ')}._`);
  return parts.join('\n\n');
}

/** "*Sync API*, which your *Mobile client plan* links to" (or "…, which links to your …"). */
export function linkedLine(title: string, via: BriefLinkedVia, doc: (title: string) => string): string {
  return via.direction === 'links-to' ? `${doc(title)}, which your ${doc(via.title)} links to` : `${doc(title)}, which links to your ${doc(via.title)}`;
}

function linkedPhrase(via: BriefLinkedVia, doc: (title: string) => string): string {
  return via.direction === 'links-to' ? `your ${doc(via.title)} links to it` : `it links to your ${doc(via.title)}`;
}

/** Why `asked`: a question in a comment thread, a handoff note waiting on her, or both. */
function askedPhrase(item: BriefItemFacts): string {
  const inThread = item.threads.some((t) => t.reason === 'asked');
  const inNote = (item.asks?.length ?? 0) > 0;
  if (inNote && inThread) return 'you were asked in a comment, and a handoff note waits on you';
  return inNote ? 'a handoff note waits on you' : REASON_PHRASES.asked;
}

/** "Priya Raman is blocked on you" / "Priya Raman needs a decision from you". */
export function askHead(ask: BriefHandoffAsk, name: (s: string) => string): string {
  return ask.section === 'blocked' ? `${name(ask.askedBy.name)} is blocked on you` : `${name(ask.askedBy.name)} needs a decision from you`;
}

/** Where the note's writer is: the last part of their time zone ("Asia/Kolkata" → "Kolkata"). */
export function placeOf(timezone: string): string {
  const last = timezone.split('/').pop() ?? timezone;
  return last.replace(/_/g, ' ');
}

/** A handoff note: who wrote it, from where and when (their time), then its sections, one line each. */
function handoffMarkdown(item: BriefItemFacts): string {
  const note = item.handoff!;
  let at = DateTime.fromMillis(item.lastChangedAt, { zone: note.from.timezone });
  if (!at.isValid) at = DateTime.fromMillis(item.lastChangedAt, { zone: 'UTC' });
  const lines = [`**Handoff from ${inert(note.from.name, 100)}** (${inert(placeOf(note.from.timezone), 60)}, ${at.setLocale('en-GB').toFormat('ccc HH:mm')} their time)`];
  for (const section of note.sections) {
    const more = section.more ? ` _and ${section.more} more_` : '';
    lines.push(`- **${inert(section.heading, 60)}:** ${section.items.map((i) => inert(i, 200)).join('; ')}${more}`);
  }
  return lines.join('\n');
}

/** Where the thread is: the anchored text (and whether it was deleted since), or the whole document. */
function threadPlace(thread: BriefThreadFacts, text: (s: string) => string): string {
  if (thread.quote === null) return 'on the document';
  return `on “${text(thread.quote)}”${thread.orphaned ? ' (that text has since been deleted)' : ''}`;
}

/** A thread: who asked or replied, on which text, a link to it, and the new replies quoted. */
function threadMarkdown(thread: BriefThreadFacts): string {
  const head =
    thread.reason === 'asked'
      ? `**${inert(thread.askedBy?.name ?? 'Someone', 100)} asked you** ${threadPlace(thread, (s) => inert(s, 200))}`
      : `**New replies** in a thread you are in, ${threadPlace(thread, (s) => inert(s, 200))}`;
  const resolved = thread.resolvedBy ? ` · resolved by ${inert(thread.resolvedBy.name, 100)}` : '';
  const lines = [`${head}${resolved} · [open the thread](${thread.url})`];
  const earlier = thread.commentIds.length - thread.replies.length;
  if (earlier > 0) lines.push(`- _${earlier === 1 ? 'one earlier comment' : `${earlier} earlier comments`} not quoted_`);
  for (const reply of thread.replies) lines.push(`- “${inert(reply.text)}” (${inert(reply.author, 100)})`);
  return lines.join('\n');
}

/** The document's own page (no diff, no thread). */
function docPathOf(item: BriefItemFacts): string {
  return `/docs/${encodeURIComponent(item.docId)}`;
}

/** One plain-text sentence about a thread for the item list. */
function threadSummary(thread: BriefThreadFacts): string {
  const place = threadPlace(thread, (s) => shorten(oneLine(s), 80));
  const last = thread.replies[thread.replies.length - 1];
  const said = last ? `: “${shorten(oneLine(last.text), 160)}”` : '.';
  if (thread.reason === 'asked') return `${thread.askedBy?.name ?? 'Someone'} asked you ${place}${said}`;
  const who = people([...new Set(thread.replies.map((r) => r.author))]);
  return `${who} replied in your thread ${place}${said}`;
}

/** One or two plain-text sentences for the item list (no Markdown: clients show it as text). */
function itemSummary(item: BriefItemFacts): string {
  const first = item.threads[0];
  const asks = (item.asks ?? []).map((a) => `${askHead(a, (s) => s)}: “${shorten(oneLine(a.text), 160)}”`);
  if (!bodyChanged(item)) return [...asks, ...(first ? [threadSummary(first)] : [])].join(' ');
  const who = people(item.authors.map((a) => a.name));
  const out: string[] = [];
  if (item.handoff) {
    out.push(`Handoff from ${item.handoff.from.name} (${placeOf(item.handoff.from.timezone)}).`);
    for (const section of item.handoff.sections.filter((s) => s.heading === 'Blocked on' || s.heading === 'Decisions needed')) {
      out.push(`${section.heading}: ${section.items.map((i) => shorten(oneLine(i), 80)).join('; ')}.`);
    }
  }
  out.push(...asks);
  if (item.linkedVia) out.push(`${item.fromRevision === 0 ? 'New' : 'Changed'}: ${linkedLine(item.title, item.linkedVia, (s) => s || 'Untitled')}.`);
  if (item.decisionPath.length > 1) out.push(`Status ${statusPath(item.decisionPath, (s) => s, (s) => s)}.`);
  else if (item.decisionPath.length === 1) out.push(`Status: ${item.decisionPath[0]}.`);
  const sections = item.sections.slice(0, 3);
  const where = sections.length === 1 ? ` the ${sections[0]} section` : sections.length > 1 ? ` the sections ${sections.join(', ')}` : ' it';
  out.push(item.fromRevision === 0 ? `${who} created it.` : `${who} changed${where}.`);
  const message = item.messages[item.messages.length - 1];
  if (message) out.push(`“${shorten(oneLine(message.text), 160)}”`);
  else if (item.added[0]) out.push(`Added: “${shorten(oneLine(item.added[0]), 160)}”`);
  else if (item.removed[0]) out.push(`Removed: “${shorten(oneLine(item.removed[0]), 160)}”`);
  if (first) out.push(threadSummary(first));
  return out.join(' ');
}

function statusPath(path: readonly string[], plain: (s: string) => string, strong: (s: string) => string): string {
  return path.map((s, i) => (i === path.length - 1 ? strong(plain(s)) : plain(s))).join(' → ');
}

function people(names: string[]): string {
  if (!names.length) return 'someone';
  if (names.length === 1) return names[0]!;
  if (names.length > 4) return `${names.slice(0, 3).join(', ')} and ${names.length - 3} others`;
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function localTime(ms: number, zone: string): string {
  let at = DateTime.fromMillis(ms, { zone });
  if (!at.isValid) at = DateTime.fromMillis(ms, { zone: 'UTC' });
  return `${at.setLocale('en-GB').toFormat('ccc d LLL, HH:mm')} (${at.zoneName})`;
}

// ---------------------------------------------------------------------------------------------
// Making text inert

/** Control, line-separator and bidi-override characters (they spoof or break lines). */
// eslint-disable-next-line no-control-regex -- matching control characters (to remove them) is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/**
 * What GFM would turn into a link by itself: URLs, `www.` hosts, e-mail addresses. Quadratic on a
 * long run without a match, so it only ever runs on `inert`'s line, cut to `max` (280) characters.
 */
// eslint-disable-next-line regexp/no-super-linear-move -- only ever run on a line cut to 280 characters (see above)
const LINKISH = /(?:[a-z][a-z0-9+.-]*:\/\/|www\.)[^\s<>"'`]*|[^\s@<>()[\]]+@[^\s@<>()[\]]+\.[^\s@<>()[\]]+/gi;
/** Characters that could open Markdown or HTML inline syntax. */
const SPECIAL = /[\\`*_[\]<>~|&!#]/g;

export function oneLine(text: string): string {
  return text.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

/** `text` cut to `max` characters (code points) with an ellipsis. */
export function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/**
 * Document-derived text as inline Markdown that renders as exactly its characters: one line,
 * shortened, every character that could start emphasis, code, a link, an image, HTML, an entity
 * or a table escaped, and URLs and e-mail addresses put in code spans (GFM would link them even
 * with escapes, since it finds them in the parsed text). Never placed at the start of a line.
 */
export function inert(text: string, max = MAX_QUOTE_CHARS): string {
  const line = shorten(oneLine(text), max);
  let out = '';
  let last = 0;
  for (const match of line.matchAll(LINKISH)) {
    // Closing punctuation after a URL stays outside the code span ("see https://x.example/a.").
    const url = match[0].replace(/(?<![.,;:!?'")\]])[.,;:!?'")\]]+$/, '');
    out += escapeInline(line.slice(last, match.index));
    out += codeSpan(url);
    last = match.index + url.length;
  }
  return out + escapeInline(line.slice(last));
}

function escapeInline(text: string): string {
  return text.replace(SPECIAL, '\\$&');
}

function codeSpan(text: string): string {
  const runs = new Set((text.match(/`+/g) ?? []).map((r) => r.length));
  let size = 1;
  while (runs.has(size)) size++;
  const fence = '`'.repeat(size);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
