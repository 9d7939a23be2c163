import { parseDocument, stringify } from 'yaml';
import type { DecisionStatus } from './decisions.ts';

/**
 * YAML front matter — a `---` line, YAML, a closing `---` (or `...`) line at the very start of a
 * Markdown file — read on import and written on export. Bounded before it is parsed: a block over
 * `FRONT_MATTER_MAX_BYTES` is removed unread; aliases are capped (`maxAliasCount`) so that a
 * "billion laughs" block fails fast; and the parse itself only ever sees ≤ 64 KiB of text.
 */

export const FRONT_MATTER_MAX_BYTES = 64 * 1024;
/** Most alias expansions a block may make (a real one has none). */
const MAX_ALIAS_COUNT = 100;

const STATUSES: readonly DecisionStatus[] = ['proposed', 'accepted', 'superseded', 'rejected'];

export interface SplitFrontMatter {
  /** The YAML between the delimiters, or null when the file has no front matter block. */
  yaml: string | null;
  /** The rest of the file: never holds the block, even when the block is refused. */
  body: string;
}

/**
 * Finds the front matter block of `text` (line endings already `\n`) in linear time. A file whose
 * first line is `---` without a closing line has none (the `---` is Markdown's thematic break).
 */
export function splitFrontMatter(text: string): SplitFrontMatter {
  if (!text.startsWith('---\n') && text !== '---') return { yaml: null, body: text };
  let at = 3;
  for (;;) {
    const next = text.indexOf('\n', at + 1);
    const lineStart = at + 1;
    const lineEnd = next < 0 ? text.length : next;
    if (lineStart > text.length) return { yaml: null, body: text };
    const line = text.slice(lineStart, lineEnd).trimEnd();
    if (line === '---' || line === '...') {
      return { yaml: text.slice(4, lineStart), body: text.slice(next < 0 ? text.length : next + 1).replace(/^\n+/, '') };
    }
    if (next < 0) return { yaml: null, body: text };
    at = next;
  }
}

/** The decision fields of front matter (owners as written: handles or e-mail addresses). */
export interface FrontMatterDecision {
  status: DecisionStatus;
  owners: string[];
  decidedAt: string | null | undefined;
}

/** What an import keeps from front matter; `warnings` says what it could not keep and why. */
export interface FrontMatter {
  title: string | null;
  /** `tags`, read but not stored: documents have no tags yet (reported as a warning). */
  tags: string[];
  kind: 'page' | 'decision';
  decision: FrontMatterDecision | null;
  /** The "why" of the last status change (`why`), kept as the imported revision's message. */
  why: string | null;
  warnings: string[];
}

const EMPTY: FrontMatter = { title: null, tags: [], kind: 'page', decision: null, why: null, warnings: [] };

const asText = (v: unknown): string | null => (typeof v === 'string' ? v.trim() || null : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null);
const asList = (v: unknown): string[] =>
  (Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : v === null || v === undefined ? [] : [v])
    .map((x) => asText(x))
    .filter((x): x is string => !!x)
    .slice(0, 100);

/** The data of a front matter block (a mapping), or a warning saying why it was not read. */
export function parseFrontMatterYaml(yaml: string): { data: Record<string, unknown> } | { warning: string } {
  if (Buffer.byteLength(yaml, 'utf8') > FRONT_MATTER_MAX_BYTES) {
    return { warning: `The front matter is larger than ${FRONT_MATTER_MAX_BYTES / 1024} KiB; it was removed unread.` };
  }
  try {
    const doc = parseDocument(yaml, { prettyErrors: false, logLevel: 'silent', version: '1.2', schema: 'core', merge: false });
    if (doc.errors.length) return { warning: `The front matter is not valid YAML (${doc.errors[0]!.message.split('\n')[0]}); it was removed.` };
    const data: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    if (data === null || data === undefined) return { data: {} };
    if (typeof data !== 'object' || Array.isArray(data)) return { warning: 'The front matter is not a mapping of fields; it was removed.' };
    return { data: data as Record<string, unknown> };
  } catch (err) {
    return { warning: `The front matter could not be read (${(err as Error).message.split('\n')[0]}); it was removed.` };
  }
}

/** What an import keeps from the fields of front matter (see `FrontMatter`). */
export function readFrontMatter(data: Record<string, unknown>): FrontMatter {
  const warnings: string[] = [];
  const tags = asList(data.tags);
  if (tags.length) warnings.push(`Tags (${tags.join(', ')}) were not kept: documents have no tags yet.`);
  const rawStatus = asText(data.status)?.toLowerCase() ?? null;
  const isDecision = asText(data.kind)?.toLowerCase() === 'decision' || rawStatus !== null;
  let decision: FrontMatterDecision | null = null;
  if (isDecision) {
    let status: DecisionStatus = 'proposed';
    if (rawStatus && (STATUSES as readonly string[]).includes(rawStatus)) status = rawStatus as DecisionStatus;
    else if (rawStatus) warnings.push(`The status "${rawStatus}" is not one of ${STATUSES.join(', ')}; the decision was imported as proposed.`);
    let decidedAt: string | null | undefined;
    const rawDecided: unknown = data.decidedAt ?? data.decided_at ?? data.decided;
    if (rawDecided !== undefined && rawDecided !== null) {
      const time = rawDecided instanceof Date ? rawDecided.getTime() : Date.parse(String(rawDecided));
      if (Number.isFinite(time)) decidedAt = new Date(time).toISOString();
      else warnings.push(`decidedAt "${String(rawDecided).slice(0, 40)}" is not a date; it was left out.`);
    } else if (rawDecided === null) decidedAt = null;
    decision = { status, owners: [...new Set(asList(data.owners).map((o) => o.replace(/^@/, '')))], decidedAt };
  }
  const why = isDecision ? (asText(data.why)?.slice(0, 1000) ?? null) : null;
  return { title: asText(data.title), tags, kind: isDecision ? 'decision' : 'page', decision, why, warnings };
}

/** The front matter of `text` read for an import, and the body without it (see `splitFrontMatter`). */
export function importFrontMatter(text: string): { front: FrontMatter; body: string } {
  const { yaml, body } = splitFrontMatter(text);
  if (yaml === null) return { front: EMPTY, body: text };
  const parsed = parseFrontMatterYaml(yaml);
  if ('warning' in parsed) return { front: { ...EMPTY, warnings: [parsed.warning] }, body };
  return { front: readFrontMatter(parsed.data), body };
}

/** What an export writes into a document's front matter (people as handles, times in epoch ms). */
export interface ExportFrontMatter {
  title: string;
  kind: 'page' | 'decision' | 'handoff';
  decision: { status: DecisionStatus; owners: string[]; decidedAt: number | null; why: string | null } | null;
  createdAt: number;
  updatedAt: number;
  authors: string[];
}

/** A front matter block (with its delimiters and a trailing newline) for an export. */
export function writeFrontMatter(meta: ExportFrontMatter): string {
  const iso = (ms: number) => new Date(ms).toISOString();
  const data: Record<string, unknown> = { title: meta.title, kind: meta.kind };
  if (meta.decision) {
    data.status = meta.decision.status;
    data.owners = meta.decision.owners;
    data.decidedAt = meta.decision.decidedAt === null ? null : iso(meta.decision.decidedAt);
    if (meta.decision.why) data.why = meta.decision.why;
  }
  data.created = iso(meta.createdAt);
  data.updated = iso(meta.updatedAt);
  data.authors = meta.authors;
  return `---\n${stringify(data, { lineWidth: 0 })}---\n`;
}
