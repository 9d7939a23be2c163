/**
 * FAKE Meilisearch: an in-memory `node:http` server that answers the part of Meilisearch's HTTP
 * API the official `meilisearch` client uses for Handoff, in Meilisearch's wire format. It exists
 * because no Meilisearch server can run where these tests run; the same contract suite runs
 * against a real server when `MEILISEARCH_URL` is set (see meilisearch-search-index.test.ts), which
 * is how this fake's fidelity is checked.
 *
 * Implemented: `GET /health`, `GET /version`; `GET|POST /indexes`, `GET|PATCH|DELETE /indexes/:uid`;
 * `GET|PATCH /indexes/:uid/settings`; documents: add/replace (`POST`), get one, list (`GET`,
 * `POST …/fetch`), delete one, delete all, delete by ids (`…/delete-batch`) and by filter
 * (`…/delete`); `POST /indexes/:uid/search`; `GET /tasks`, `GET /tasks/:uid`; `POST /swap-indexes`.
 * Writes are asynchronous tasks (`202` + summarized task; `enqueued` → `processing` →
 * `succeeded` | `failed` with Meilisearch's error object: `invalid_document_id`,
 * `missing_document_id`, `index_not_found`, `index_already_exists`,
 * `index_primary_key_multiple_candidates_found`, `invalid_document_filter`, …). Optional master key.
 *
 * Search: the filter grammar (`=`, `!=`, `>`, `>=`, `<`, `<=`, `TO`, `IN`/`NOT IN`, `EXISTS`,
 * `IS NULL`, `IS EMPTY`, `AND`, `OR`, `NOT`, parentheses, quoted values with `\"`; string equality
 * case-insensitive, attributes must be filterable), `page`/`hitsPerPage` (exhaustive `totalHits`,
 * capped by `pagination.maxTotalHits`) or `offset`/`limit`, `matchingStrategy` `last` | `all`,
 * `distinct` (setting or parameter, counted distinctly), `sort`, `attributesToRetrieve`,
 * `attributesToHighlight`/`attributesToCrop` with tags, `cropLength`, `cropMarker` into `_formatted`
 * (numbers become strings there, as in Meilisearch). Query words: the first 10, lower-cased and
 * without diacritics; prefix on the last word unless a separator follows it; typos as Meilisearch
 * counts them (Damerau-Levenshtein; 1 from `oneTypo` = 5 characters, 2 from `twoTypos` = 9; a typo
 * on the first letter counts as two); two or three query words may match one concatenated word and
 * one query word two adjacent words (split). Ranking rules `words`, `typo`, `proximity`,
 * `attribute`, `sort`, `exactness` and `attr:asc|desc`, in the index's order.
 *
 * Not implemented (the adapter uses none of it): phrase search (`"…"`) and negative keywords
 * (`-word`), synonyms, stop words, facets, vectors, multi-search, keys. Chinese, Japanese and
 * Korean text is not segmented with dictionaries as Meilisearch does (jieba, lindera): a CJK query
 * word matches any run of CJK text that contains it.
 *
 * `setAvailable(false)` makes it unavailable (refusing connections, or answering 503), for outage
 * tests; the queued tasks and the data survive, as they would in a restarted Meilisearch.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { editDistance } from './search-text.ts';

type Doc = Record<string, unknown>;

interface ErrorBody {
  message: string;
  code: string;
  type: string;
  link: string;
}

class MeiliError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type: 'invalid_request' | 'auth' | 'internal' | 'system' = 'invalid_request',
  ) {
    super(message);
  }

  body(): ErrorBody {
    return { message: this.message, code: this.code, type: this.type, link: `https://docs.meilisearch.com/errors#${this.code}` };
  }
}

const indexNotFound = (uid: string) => new MeiliError(404, 'index_not_found', `Index \`${uid}\` not found.`);

// -------------------------------------------------------------------------------------------------
// Settings

interface TypoSettings {
  enabled: boolean;
  minWordSizeForTypos: { oneTypo: number; twoTypos: number };
  disableOnWords: string[];
  disableOnAttributes: string[];
  disableOnNumbers: boolean;
}

interface IndexSettings {
  displayedAttributes: string[];
  searchableAttributes: string[];
  filterableAttributes: unknown[];
  sortableAttributes: string[];
  rankingRules: string[];
  stopWords: string[];
  nonSeparatorTokens: string[];
  separatorTokens: string[];
  dictionary: string[];
  synonyms: Record<string, string[]>;
  distinctAttribute: string | null;
  proximityPrecision: string;
  typoTolerance: TypoSettings;
  faceting: { maxValuesPerFacet: number; sortFacetValuesBy: Record<string, string> };
  pagination: { maxTotalHits: number };
  searchCutoffMs: number | null;
  localizedAttributes: unknown[] | null;
  facetSearch: boolean;
  prefixSearch: string;
}

const DEFAULT_RANKING = ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness'];

function defaultSettings(): IndexSettings {
  return {
    displayedAttributes: ['*'],
    searchableAttributes: ['*'],
    filterableAttributes: [],
    sortableAttributes: [],
    rankingRules: [...DEFAULT_RANKING],
    stopWords: [],
    nonSeparatorTokens: [],
    separatorTokens: [],
    dictionary: [],
    synonyms: {},
    distinctAttribute: null,
    proximityPrecision: 'byWord',
    typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 }, disableOnWords: [], disableOnAttributes: [], disableOnNumbers: false },
    faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { '*': 'alpha' } },
    pagination: { maxTotalHits: 1000 },
    searchCutoffMs: null,
    localizedAttributes: null,
    facetSearch: true,
    prefixSearch: 'indexingTime',
  };
}

const SETTING_KEYS = Object.keys(defaultSettings());

function unknownField(field: string, expected: string[]): MeiliError {
  return new MeiliError(400, 'bad_request', `Unknown field \`${field}\`: expected one of ${expected.map((k) => `\`${k}\``).join(', ')}`);
}

/** Validates a settings body synchronously (as Meilisearch does before enqueuing). */
function checkSettings(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new MeiliError(400, 'bad_request', 'Invalid value type: expected an object.');
  for (const key of Object.keys(body)) if (!SETTING_KEYS.includes(key)) throw unknownField(key, SETTING_KEYS);
  return body as Record<string, unknown>;
}

function applySettings(current: IndexSettings, patch: Record<string, unknown>): IndexSettings {
  const next = structuredClone(current) as unknown as Record<string, unknown>;
  const defaults = defaultSettings() as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) next[key] = defaults[key];
    else if (typeof value === 'object' && !Array.isArray(value) && typeof defaults[key] === 'object' && defaults[key] !== null && !Array.isArray(defaults[key])) {
      const merged = { ...(next[key] as object) } as Record<string, unknown>;
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const dk = (defaults[key] as Record<string, unknown>)[k];
        if (v === null) merged[k] = dk;
        else if (v && typeof v === 'object' && !Array.isArray(v) && dk && typeof dk === 'object') merged[k] = { ...(merged[k] as object), ...v };
        else merged[k] = v;
      }
      next[key] = merged;
    } else next[key] = value;
  }
  return next as unknown as IndexSettings;
}

const patternMatches = (pattern: string, name: string) =>
  pattern === '*' || pattern === name || (pattern.endsWith('*') && name.startsWith(pattern.slice(0, -1))) || (pattern.startsWith('*') && name.endsWith(pattern.slice(1)));

function filterablePatterns(settings: IndexSettings): string[] {
  return settings.filterableAttributes.flatMap((f) =>
    typeof f === 'string' ? [f] : ((f as { attributePatterns?: string[] }).attributePatterns ?? []),
  );
}

// -------------------------------------------------------------------------------------------------
// Tokens (a small stand-in for charabia)

const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30FC]/u;
const WORD_RUN = /[\p{L}\p{N}\p{M}]+/gu;
const HARD_SEPARATOR = /[.!?;\n\u3002\uFF01\uFF1F]/u;

interface Token {
  /** Normalized: lower-case, no diacritics (CJK: NFKC only). */
  norm: string;
  start: number;
  end: number;
  /** Word position; a hard separator (end of sentence) adds 8, as in Meilisearch. */
  pos: number;
  cjk: boolean;
}

const normalize = (s: string, cjk: boolean) =>
  cjk ? s.normalize('NFKC').toLowerCase() : s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let pos = -1;
  let lastEnd = 0;
  for (const m of text.matchAll(WORD_RUN)) {
    // Split a run where it switches between CJK and other scripts ("API仕様" → "api", "仕様").
    let runStart = m.index;
    const chars = [...m[0]];
    let offset = m.index;
    let cur: boolean | null = null;
    const pieces: Array<{ start: number; end: number; cjk: boolean }> = [];
    for (const ch of chars) {
      const isCjk: boolean = CJK_CHAR.test(ch) || (cur === true && /\p{M}/u.test(ch));
      if (cur !== null && isCjk !== cur) {
        pieces.push({ start: runStart, end: offset, cjk: cur });
        runStart = offset;
      }
      cur = isCjk;
      offset += ch.length;
    }
    pieces.push({ start: runStart, end: offset, cjk: cur ?? false });
    for (const p of pieces) {
      const gap = text.slice(lastEnd, p.start);
      pos += pos < 0 ? 1 : HARD_SEPARATOR.test(gap) ? 8 : 1;
      out.push({ norm: normalize(text.slice(p.start, p.end), p.cjk), start: p.start, end: p.end, pos, cjk: p.cjk });
      lastEnd = p.end;
    }
  }
  return out;
}

// -------------------------------------------------------------------------------------------------
// Filters

type Cond =
  | { op: 'and' | 'or'; items: Cond[] }
  | { op: 'not'; item: Cond }
  | { op: 'cmp'; attr: string; cmp: '=' | '!=' | '>' | '>=' | '<' | '<='; value: string }
  | { op: 'range'; attr: string; from: string; to: string }
  | { op: 'in'; attr: string; values: string[] }
  | { op: 'exists'; attr: string }
  | { op: 'null' | 'empty'; attr: string };

type Lexeme = { kind: 'punct'; v: string; at: number } | { kind: 'word'; v: string; quoted: boolean; at: number };

function lexFilter(input: string, code: string): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  const fail = (msg: string) => new MeiliError(400, code, `${msg}\n${i + 1}:${i + 2} ${input.slice(0, 200)}`);
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) i++;
    else if ('()[],'.includes(c)) out.push({ kind: 'punct', v: c, at: i++ });
    else if (c === '!' && input[i + 1] === '=') {
      out.push({ kind: 'punct', v: '!=', at: i });
      i += 2;
    } else if (c === '>' || c === '<') {
      const two = input[i + 1] === '=';
      out.push({ kind: 'punct', v: two ? `${c}=` : c, at: i });
      i += two ? 2 : 1;
    } else if (c === '=') out.push({ kind: 'punct', v: '=', at: i++ });
    else if (c === '"' || c === "'") {
      // As Meilisearch's filter parser: `\` skips the next character; only `\<quote>` is unescaped.
      const quote = c;
      const start = ++i;
      let escapedQuote = false;
      while (i < input.length && input[i] !== quote) {
        if (input[i] === '\\') {
          if (i + 1 >= input.length) throw fail('Expression `\\` is missing the escaped character.');
          if (input[i + 1] === quote) escapedQuote = true;
          i += 2;
        } else i++;
      }
      if (i >= input.length) throw fail(`Expression \`${quote}${input.slice(start, start + 40)}\` is missing the closing quote.`);
      const raw = input.slice(start, i);
      out.push({ kind: 'word', v: escapedQuote ? raw.replaceAll(`\\${quote}`, quote) : raw, quoted: true, at: start - 1 });
      i++;
    } else {
      const start = i;
      while (i < input.length && !/[\s()[\],=!<>"']/.test(input[i]!)) i++;
      if (i === start) throw fail(`Unexpected character \`${c}\`.`);
      out.push({ kind: 'word', v: input.slice(start, i), quoted: false, at: start });
    }
  }
  return out;
}

function parseFilter(input: string, code: string): Cond {
  const lx = lexFilter(input, code);
  let p = 0;
  const fail = (msg: string) =>
    new MeiliError(400, code, `${msg}\n${(lx[p]?.at ?? input.length) + 1}:${input.length + 1} ${input.slice(0, 200)}`);
  const isKw = (l: Lexeme | undefined, kw: string) => l?.kind === 'word' && !l.quoted && l.v.toUpperCase() === kw;
  const isPunct = (l: Lexeme | undefined, v: string) => l?.kind === 'punct' && l.v === v;
  const value = (): string => {
    const l = lx[p];
    if (l?.kind !== 'word') throw fail('Was expecting a value but instead got nothing.');
    p++;
    return l.v;
  };
  const orExpr = (): Cond => {
    const items = [andExpr()];
    while (isKw(lx[p], 'OR')) {
      p++;
      items.push(andExpr());
    }
    return items.length === 1 ? items[0]! : { op: 'or', items };
  };
  const andExpr = (): Cond => {
    const items = [notExpr()];
    while (isKw(lx[p], 'AND')) {
      p++;
      items.push(notExpr());
    }
    return items.length === 1 ? items[0]! : { op: 'and', items };
  };
  const notExpr = (): Cond => {
    if (isKw(lx[p], 'NOT')) return (p++, { op: 'not', item: notExpr() });
    if (isPunct(lx[p], '(')) {
      p++;
      const inner = orExpr();
      if (!isPunct(lx[p], ')')) throw fail('Expression is missing the closing `)`.');
      p++;
      return inner;
    }
    return condition();
  };
  const condition = (): Cond => {
    const a = lx[p];
    if (a?.kind !== 'word') throw fail('Was expecting an operation `=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`, `TO`, `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS NOT NULL`, `IS EMPTY`, `IS NOT EMPTY`, `_geoRadius`, or `_geoBoundingBox`.');
    p++;
    const attr = a.v;
    const next = lx[p];
    if (next?.kind === 'punct' && ['=', '!=', '>', '>=', '<', '<='].includes(next.v)) {
      p++;
      return { op: 'cmp', attr, cmp: next.v as '=', value: value() };
    }
    if (isKw(next, 'EXISTS')) return (p++, { op: 'exists', attr });
    if (isKw(next, 'IN') || (isKw(next, 'NOT') && isKw(lx[p + 1], 'IN'))) {
      const negate = isKw(next, 'NOT');
      p += negate ? 2 : 1;
      if (!isPunct(lx[p], '[')) throw fail('Expected `[` after `IN` keyword.');
      p++;
      const values: string[] = [];
      while (!isPunct(lx[p], ']')) {
        values.push(value());
        if (isPunct(lx[p], ',')) p++;
        else if (!isPunct(lx[p], ']')) throw fail('Expected matching `]` after the list of values.');
      }
      p++;
      const cond: Cond = { op: 'in', attr, values };
      return negate ? { op: 'not', item: cond } : cond;
    }
    if (isKw(next, 'NOT') && isKw(lx[p + 1], 'EXISTS')) return ((p += 2), { op: 'not', item: { op: 'exists', attr } });
    if (isKw(next, 'IS')) {
      p++;
      const negate = isKw(lx[p], 'NOT');
      if (negate) p++;
      const what = isKw(lx[p], 'NULL') ? 'null' : isKw(lx[p], 'EMPTY') ? 'empty' : null;
      if (!what) throw fail('Was expecting `NULL` or `EMPTY` after `IS`.');
      p++;
      const cond: Cond = { op: what, attr };
      return negate ? { op: 'not', item: cond } : cond;
    }
    if (next?.kind === 'word' && isKw(lx[p + 1], 'TO')) {
      const from = value();
      p++;
      return { op: 'range', attr, from, to: value() };
    }
    throw fail('Was expecting an operation `=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`, `TO`, `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS NOT NULL`, `IS EMPTY`, `IS NOT EMPTY`, `_geoRadius`, or `_geoBoundingBox`.');
  };
  if (!lx.length) throw fail('Was expecting a value but instead got nothing.');
  const cond = orExpr();
  if (p < lx.length) throw fail(`Found unexpected characters at the end of the filter: \`${input.slice(lx[p]!.at, lx[p]!.at + 40)}\`. You probably forgot an \`OR\` or an \`AND\` rule.`);
  return cond;
}

/** A filter as the API accepts it: a string, or an array (AND) of strings and arrays (OR). */
function parseFilterParam(filter: unknown, code: string): Cond | null {
  if (filter === undefined || filter === null) return null;
  if (typeof filter === 'string') return filter.trim() ? parseFilter(filter, code) : null;
  if (Array.isArray(filter)) {
    const items = filter.flatMap((f): Cond[] => {
      if (typeof f === 'string') return f.trim() ? [parseFilter(f, code)] : [];
      if (Array.isArray(f)) return [{ op: 'or', items: f.map((g) => parseFilter(String(g), code)) }];
      throw new MeiliError(400, code, 'Invalid syntax for the filter parameter: expected a string or an array.');
    });
    return items.length ? { op: 'and', items } : null;
  }
  throw new MeiliError(400, code, 'Invalid syntax for the filter parameter: `expected String, Array`.');
}

function filterAttributes(c: Cond): string[] {
  switch (c.op) {
    case 'and':
    case 'or':
      return c.items.flatMap(filterAttributes);
    case 'not':
      return filterAttributes(c.item);
    default:
      return [c.attr];
  }
}

function checkFilterable(c: Cond | null, settings: IndexSettings, code: string): void {
  if (!c) return;
  const patterns = filterablePatterns(settings);
  for (const attr of filterAttributes(c)) {
    if (!patterns.some((p) => patternMatches(p, attr))) {
      const available = patterns.length ? `Available filterable attribute patterns are: \`${[...patterns].sort().join(', ')}\`.` : 'This index does not have configured filterable attributes.';
      throw new MeiliError(400, code, `Index: Attribute \`${attr}\` is not filterable. ${available}`);
    }
  }
}

function getPath(doc: Doc, attr: string): unknown {
  if (attr in doc) return doc[attr];
  let cur: unknown = doc;
  for (const part of attr.split('.')) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const facetValues = (v: unknown): unknown[] => (Array.isArray(v) ? v.flat(Infinity) : v === undefined ? [] : [v]);

function equals(docValue: unknown, filterValue: string): boolean {
  // Meilisearch trims and lower-cases string facet values, in documents and in filters.
  if (typeof docValue === 'string') return docValue.trim().toLowerCase() === filterValue.trim().toLowerCase();
  if (typeof docValue === 'number') return filterValue.trim() !== '' && Number(filterValue) === docValue;
  if (typeof docValue === 'boolean') return String(docValue) === filterValue.toLowerCase();
  return false;
}

function compare(docValue: unknown, op: string, filterValue: string): boolean {
  const n = Number(filterValue);
  if (typeof docValue !== 'number' || filterValue.trim() === '' || Number.isNaN(n)) return false;
  return op === '>' ? docValue > n : op === '>=' ? docValue >= n : op === '<' ? docValue < n : docValue <= n;
}

function evaluate(c: Cond, doc: Doc): boolean {
  switch (c.op) {
    case 'and':
      return c.items.every((i) => evaluate(i, doc));
    case 'or':
      return c.items.some((i) => evaluate(i, doc));
    case 'not':
      return !evaluate(c.item, doc);
    case 'cmp': {
      const values = facetValues(getPath(doc, c.attr));
      if (c.cmp === '=') return values.some((v) => equals(v, c.value));
      if (c.cmp === '!=') return !values.some((v) => equals(v, c.value));
      return values.some((v) => compare(v, c.cmp, c.value));
    }
    case 'range':
      return facetValues(getPath(doc, c.attr)).some((v) => compare(v, '>=', c.from) && compare(v, '<=', c.to));
    case 'in': {
      const values = facetValues(getPath(doc, c.attr));
      return c.values.some((f) => values.some((v) => equals(v, f)));
    }
    case 'exists':
      return getPath(doc, c.attr) !== undefined;
    case 'null':
      return getPath(doc, c.attr) === null;
    case 'empty': {
      const v = getPath(doc, c.attr);
      return v === '' || (Array.isArray(v) && v.length === 0) || (!!v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);
    }
  }
}

// -------------------------------------------------------------------------------------------------
// Indexes, tasks

interface StoredDoc {
  internal: number;
  doc: Doc;
  tokens: Map<string, Token[]>;
}

interface FakeIndex {
  uid: string;
  primaryKey: string | null;
  createdAt: string;
  updatedAt: string;
  settings: IndexSettings;
  docs: Map<string, StoredDoc>;
  nextInternal: number;
}

interface FakeTask {
  uid: number;
  batchUid: number | null;
  indexUid: string | null;
  status: 'enqueued' | 'processing' | 'succeeded' | 'failed' | 'canceled';
  type: string;
  canceledBy: null;
  details: Record<string, unknown>;
  error: ErrorBody | null;
  duration: string | null;
  enqueuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

interface QueuedTask {
  task: FakeTask;
  run: () => Record<string, unknown> | void;
}

const VALID_UID = /^[A-Za-z0-9_-]{1,400}$/;
const VALID_DOC_ID = /^[A-Za-z0-9_-]+$/;

function checkIndexUid(uid: unknown): string {
  if (typeof uid !== 'string' || !VALID_UID.test(uid)) {
    throw new MeiliError(400, 'invalid_index_uid', `\`${String(uid)}\` is not a valid index uid. Index uid can be an integer or a string containing only alphanumeric characters, hyphens (-) and underscores (_), and can not be more than 400 bytes.`);
  }
  return uid;
}

function documentId(doc: Doc, primaryKey: string): string {
  const value = doc[primaryKey];
  if (value === undefined) throw new MeiliError(400, 'missing_document_id', `Document doesn't have a \`${primaryKey}\` attribute: \`${JSON.stringify(doc).slice(0, 200)}\`.`);
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && VALID_DOC_ID.test(value) && Buffer.byteLength(value) <= 511) return value;
  throw new MeiliError(400, 'invalid_document_id', `Document identifier \`${JSON.stringify(value)}\` is invalid. A document identifier can be of type integer or string, only composed of alphanumeric characters (a-z A-Z 0-9), hyphens (-) and underscores (_), and can not be more than 511 bytes.`);
}

function inferPrimaryKey(doc: Doc | undefined): string {
  const candidates = Object.keys(doc ?? {}).filter((k) => k.toLowerCase().endsWith('id'));
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) throw new MeiliError(400, 'index_primary_key_no_candidate_found', 'The primary key inference failed as the engine did not find any field ending with `id` in its name. Please specify the primary key manually using the `primaryKey` query parameter.');
  throw new MeiliError(400, 'index_primary_key_multiple_candidates_found', `The primary key inference failed as the engine found ${candidates.length} fields ending with \`id\` in their names: ${candidates.map((c) => `'${c}'`).join(' and ')}. Please specify the primary key manually using the \`primaryKey\` query parameter.`);
}

const nowIso = () => new Date().toISOString();

// -------------------------------------------------------------------------------------------------
// Search

interface QueryWord {
  norm: string;
  cjk: boolean;
  prefix: boolean;
}

interface WordMatch {
  word: number;
  attr: number;
  pos: number;
  typos: number;
  exact: boolean;
}

interface Highlight {
  start: number;
  end: number;
}

const SEARCH_PARAMS = [
  'q', 'offset', 'limit', 'page', 'hitsPerPage', 'attributesToRetrieve', 'retrieveVectors', 'attributesToCrop', 'cropLength', 'cropMarker',
  'attributesToHighlight', 'highlightPreTag', 'highlightPostTag', 'showMatchesPosition', 'showRankingScore', 'showRankingScoreDetails',
  'showPerformanceDetails', 'filter', 'sort', 'distinct', 'facets', 'matchingStrategy', 'attributesToSearchOn', 'rankingScoreThreshold',
  'locales', 'hybrid', 'vector', 'media', 'personalize',
];
const UNSUPPORTED_PARAMS = ['facets', 'hybrid', 'vector', 'media', 'personalize', 'showRankingScoreDetails', 'rankingScoreThreshold'];

function typoDerivation(w: QueryWord, token: string, typo: TypoSettings): number | null {
  if (!typo.enabled || w.cjk) return null;
  const len = [...w.norm].length;
  const budget = len >= typo.minWordSizeForTypos.twoTypos ? 2 : len >= typo.minWordSizeForTypos.oneTypo ? 1 : 0;
  if (budget === 0 || typo.disableOnWords.includes(w.norm) || (typo.disableOnNumbers && /^\p{N}+$/u.test(w.norm))) return null;
  let d = editDistance(w.norm, token, budget);
  if (w.prefix) {
    for (let k = Math.max(1, w.norm.length - budget); k <= Math.min(token.length, w.norm.length + budget); k++) {
      d = Math.min(d, editDistance(w.norm, token.slice(0, k), budget));
    }
  }
  if (d === 0 || d > budget) return null;
  // A typo on the first letter counts as two (Meilisearch's two-typo automaton only).
  const typos = token[0] === w.norm[0] ? d : d <= 1 ? 2 : Infinity;
  return typos <= budget ? typos : null;
}

function searchableAttributes(index: FakeIndex, doc: Doc): string[] {
  const list = index.settings.searchableAttributes;
  if (list.includes('*')) return Object.keys(doc);
  return list;
}

function attributeText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(attributeText).filter((v) => v !== null).join('. ');
  return null;
}

function tokensOf(stored: StoredDoc, attr: string): { text: string; tokens: Token[] } | null {
  const text = attributeText(getPath(stored.doc, attr));
  if (text === null) return null;
  let tokens = stored.tokens.get(attr);
  if (!tokens) stored.tokens.set(attr, (tokens = tokenize(text)));
  return { text, tokens };
}

interface DocMatch {
  stored: StoredDoc;
  /** Per query word, the places it matched. */
  perWord: WordMatch[][];
  /** Per attribute, what to highlight. */
  highlights: Map<string, Highlight[]>;
}

function matchDocument(index: FakeIndex, stored: StoredDoc, words: QueryWord[]): DocMatch {
  const perWord: WordMatch[][] = words.map(() => []);
  const highlights = new Map<string, Highlight[]>();
  const typo = index.settings.typoTolerance;
  searchableAttributes(index, stored.doc).forEach((attr, attrIndex) => {
    const t = tokensOf(stored, attr);
    if (!t) return;
    const marks: Highlight[] = [];
    const { tokens } = t;
    tokens.forEach((tok, j) => {
      words.forEach((w, i) => {
        let hit: { typos: number; exact: boolean; hl: Highlight } | null = null;
        if (w.cjk) {
          const at = tok.cjk ? tok.norm.indexOf(w.norm) : -1;
          if (at >= 0) hit = { typos: 0, exact: tok.norm === w.norm, hl: { start: tok.start + at, end: tok.start + at + w.norm.length } };
        } else if (!tok.cjk) {
          if (tok.norm === w.norm) hit = { typos: 0, exact: true, hl: { start: tok.start, end: tok.end } };
          else if (w.prefix && tok.norm.startsWith(w.norm)) hit = { typos: 0, exact: false, hl: { start: tok.start, end: Math.min(tok.end, tok.start + w.norm.length) } };
          else {
            const typos = typoDerivation(w, tok.norm, typo);
            if (typos !== null) hit = { typos, exact: false, hl: { start: tok.start, end: tok.end } };
          }
        }
        if (hit) {
          perWord[i]!.push({ word: i, attr: attrIndex, pos: tok.pos, typos: hit.typos, exact: hit.exact });
          marks.push(hit.hl);
        }
      });
      // Two or three consecutive query words written as one word ("note book" → "notebook").
      for (let i = 0; i < words.length - 1; i++) {
        for (const n of [2, 3]) {
          const group = words.slice(i, i + n);
          if (group.length < n || group.some((g) => g.cjk) || tok.cjk) continue;
          const joined = group.map((g) => g.norm).join('');
          const lastIsPrefix = group[group.length - 1]!.prefix;
          if (tok.norm === joined || (lastIsPrefix && tok.norm.startsWith(joined))) {
            group.forEach((_, k) => perWord[i + k]!.push({ word: i + k, attr: attrIndex, pos: tok.pos, typos: 0, exact: false }));
            marks.push({ start: tok.start, end: tok.norm === joined ? tok.end : tok.start + joined.length });
          }
        }
      }
      // One query word written as two words ("handbook" → "hand book"), counted as one typo.
      const next = tokens[j + 1];
      if (next && !tok.cjk && !next.cjk && next.pos === tok.pos + 1) {
        words.forEach((w, i) => {
          if (w.cjk || typoDerivationBudget(w, typo) < 1) return;
          if (w.norm.length === tok.norm.length + next.norm.length && w.norm === tok.norm + next.norm) {
            perWord[i]!.push({ word: i, attr: attrIndex, pos: tok.pos, typos: 1, exact: false });
            marks.push({ start: tok.start, end: tok.end }, { start: next.start, end: next.end });
          }
        });
      }
    });
    if (marks.length) highlights.set(attr, marks);
  });
  return { stored, perWord, highlights };
}

function typoDerivationBudget(w: QueryWord, typo: TypoSettings): number {
  if (!typo.enabled) return 0;
  const len = [...w.norm].length;
  return len >= typo.minWordSizeForTypos.twoTypos ? 2 : len >= typo.minWordSizeForTypos.oneTypo ? 1 : 0;
}

function sortValue(doc: Doc, attr: string): unknown {
  const v = getPath(doc, attr);
  return Array.isArray(v) ? v[0] : v;
}

function compareValues(a: unknown, b: unknown, desc: boolean): number {
  // Documents without the value come last whatever the direction.
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : 1;
  if (b === undefined || b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return desc ? b - a : a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  const c = String(a).localeCompare(String(b));
  return desc ? -c : c;
}

/** The ranking key of a matched document, following the index's ranking rules. */
function rankKey(m: DocMatch, k: number, rules: string[], sort: Array<{ attr: string; desc: boolean }>): Array<number | { v: unknown; desc: boolean }> {
  const used = m.perWord.slice(0, k);
  const key: Array<number | { v: unknown; desc: boolean }> = [];
  for (const rule of rules) {
    if (rule === 'words') key.push(-k);
    else if (rule === 'typo') key.push(used.reduce((s, ms) => s + (ms.length ? Math.min(...ms.map((x) => x.typos)) : 0), 0));
    else if (rule === 'proximity') {
      let total = 0;
      for (let i = 0; i + 1 < used.length; i++) {
        let best = 8;
        for (const a of used[i]!) {
          for (const b of used[i + 1]!) {
            if (a.attr !== b.attr) continue;
            best = Math.min(best, b.pos >= a.pos ? b.pos - a.pos : a.pos - b.pos + 1);
          }
        }
        total += Math.min(best, 8);
      }
      key.push(total);
    } else if (rule === 'attribute' || rule === 'attributeRank' || rule === 'wordPosition') {
      if (rule !== 'wordPosition') key.push(used.reduce((s, ms) => s + (ms.length ? Math.min(...ms.map((x) => x.attr)) : 0), 0));
      if (rule !== 'attributeRank') key.push(used.reduce((s, ms) => s + (ms.length ? Math.min(...ms.map((x) => x.pos)) : 0), 0));
    } else if (rule === 'exactness') key.push(-used.filter((ms) => ms.some((x) => x.exact)).length);
    else if (rule === 'sort') for (const s of sort) key.push({ v: sortValue(m.stored.doc, s.attr), desc: s.desc });
    else {
      const custom = /^(.+):(asc|desc)$/.exec(rule);
      if (custom) key.push({ v: sortValue(m.stored.doc, custom[1]!), desc: custom[2] === 'desc' });
    }
  }
  key.push(m.stored.internal);
  return key;
}

function compareKeys(a: ReturnType<typeof rankKey>, b: ReturnType<typeof rankKey>): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : compareValues((x as { v: unknown }).v, (y as { v: unknown }).v, (x as { desc: boolean }).desc);
    if (c !== 0) return c;
  }
  return 0;
}

/** Highlights and crops one attribute as Meilisearch's `_formatted` does. */
function formatText(text: string, marks: Highlight[], opts: { highlight: boolean; crop: number | null; pre: string; post: string; marker: string }): string {
  let start = 0;
  let end = text.length;
  let prefix = '';
  let suffix = '';
  if (opts.crop !== null && opts.crop > 0) {
    const tokens = tokenize(text);
    if (tokens.length > opts.crop) {
      const matched = tokens.map((t) => marks.some((m) => m.start < t.end && m.end > t.start));
      // The window of `crop` words holding the most matches (the earliest on ties), centred on them.
      let best = 0;
      let bestCount = -1;
      for (let s = 0; s + opts.crop <= tokens.length; s++) {
        const count = matched.slice(s, s + opts.crop).filter(Boolean).length;
        if (count > bestCount) {
          best = s;
          bestCount = count;
        }
      }
      let from = best;
      if (bestCount > 0) {
        const inWindow = matched.slice(best, best + opts.crop);
        const first = best + inWindow.indexOf(true);
        const last = best + inWindow.lastIndexOf(true);
        from = Math.max(0, first - Math.floor((opts.crop - (last - first + 1)) / 2));
      }
      from = Math.min(from, tokens.length - opts.crop);
      const to = from + opts.crop - 1;
      start = tokens[from]!.start;
      end = tokens[to]!.end;
      if (from > 0) prefix = opts.marker;
      if (to < tokens.length - 1) suffix = opts.marker;
    }
  }
  let out = '';
  let at = start;
  if (opts.highlight) {
    const sorted = marks.filter((m) => m.end > start && m.start < end).sort((a, b) => a.start - b.start || b.end - a.end);
    for (const m of sorted) {
      const s = Math.max(m.start, at);
      const e = Math.min(m.end, end);
      if (e <= s) continue;
      out += text.slice(at, s) + opts.pre + text.slice(s, e) + opts.post;
      at = e;
    }
  }
  return prefix + out + text.slice(at, end) + suffix;
}

// -------------------------------------------------------------------------------------------------
// The server

export interface FakeMeilisearchOptions {
  /** When set, every route but `/health` requires `Authorization: Bearer <masterKey>`. */
  masterKey?: string;
  /** Delay before queued tasks are processed (default 1 ms), so clients really see `enqueued`. */
  taskDelayMs?: number;
  port?: number;
}

export class FakeMeilisearch {
  private readonly indexes = new Map<string, FakeIndex>();
  private readonly tasks: FakeTask[] = [];
  private readonly queue: QueuedTask[] = [];
  private timer: NodeJS.Timeout | null = null;
  private nextBatch = 0;
  private unavailable: 'refuse' | '503' | null = null;
  private readonly server: Server;
  private port = 0;

  private constructor(private readonly options: FakeMeilisearchOptions) {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
  }

  /** Starts a fake on 127.0.0.1 (port 0 = any free port). */
  static async start(options: FakeMeilisearchOptions = {}): Promise<FakeMeilisearch> {
    const fake = new FakeMeilisearch(options);
    await fake.listen(options.port ?? 0);
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private stopListening(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /**
   * Makes the fake unavailable (`refuse`: connections refused, as a stopped server; `503`: every
   * request answered 503, as behind a proxy) or available again on the same port.
   */
  async setAvailable(available: boolean, mode: 'refuse' | '503' = 'refuse'): Promise<void> {
    if (available) {
      if (this.unavailable === 'refuse') await this.listen(this.port);
      this.unavailable = null;
      return;
    }
    if (mode === 'refuse' && this.unavailable !== 'refuse') await this.stopListening();
    this.unavailable = mode;
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.stopListening();
  }

  // --- tasks -------------------------------------------------------------------------------------

  private enqueue(type: string, indexUid: string | null, details: Record<string, unknown>, run: QueuedTask['run']): { status: number; body: unknown } {
    const task: FakeTask = {
      uid: this.tasks.length,
      batchUid: null,
      indexUid,
      status: 'enqueued',
      type,
      canceledBy: null,
      details,
      error: null,
      duration: null,
      enqueuedAt: nowIso(),
      startedAt: null,
      finishedAt: null,
    };
    this.tasks.push(task);
    this.queue.push({ task, run });
    this.schedule();
    return { status: 202, body: { taskUid: task.uid, indexUid, status: 'enqueued', type, enqueuedAt: task.enqueuedAt } };
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.processQueue();
    }, this.options.taskDelayMs ?? 1);
  }

  /** Processes every queued task in order, as one batch. */
  private processQueue(): void {
    const batch = this.nextBatch++;
    for (let item = this.queue.shift(); item; item = this.queue.shift()) {
      const { task, run } = item;
      const started = Date.now();
      task.status = 'processing';
      task.batchUid = batch;
      task.startedAt = nowIso();
      try {
        const details = run();
        if (details) task.details = { ...task.details, ...details };
        task.status = 'succeeded';
      } catch (error) {
        task.status = 'failed';
        task.error = error instanceof MeiliError ? error.body() : new MeiliError(500, 'internal', String(error), 'internal').body();
      }
      task.finishedAt = nowIso();
      task.duration = `PT${((Date.now() - started) / 1000).toFixed(3)}S`;
    }
  }

  // --- HTTP --------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      const text = body === undefined ? '' : JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      if (this.unavailable === '503') return send(503, { message: 'Service Unavailable', code: 'unavailable', type: 'system', link: '' });
      const url = new URL(req.url ?? '/', 'http://fake');
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      if (raw.length) {
        try {
          body = JSON.parse(raw);
        } catch (error) {
          throw new MeiliError(400, 'malformed_payload', `The json payload provided is malformed. \`${(error as Error).message}\`.`);
        }
      }
      const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      if (!(segments[0] === 'health' && segments.length === 1)) this.authorize(req);
      const { status, body: out } = this.route(req.method ?? 'GET', segments, url.searchParams, body);
      send(status, out);
    } catch (error) {
      const e = error instanceof MeiliError ? error : new MeiliError(500, 'internal', (error as Error).message, 'internal');
      send(e.status, e.body());
    }
  }

  private authorize(req: IncomingMessage): void {
    const key = this.options.masterKey;
    if (!key) return;
    const header = req.headers.authorization;
    if (!header) throw new MeiliError(401, 'missing_authorization_header', 'The Authorization header is missing. It must use the bearer authorization method.', 'auth');
    if (header !== `Bearer ${key}`) throw new MeiliError(403, 'invalid_api_key', 'The provided API key is invalid.', 'auth');
  }

  private route(method: string, s: string[], params: URLSearchParams, body: unknown): { status: number; body: unknown } {
    const ok = (b: unknown) => ({ status: 200, body: b });
    const [a, uid, b] = s;
    const notFound = () => {
      throw new MeiliError(404, 'not_found', `Route \`${method} /${s.join('/')}\` is not implemented by the fake Meilisearch.`);
    };
    if (a === 'health' && s.length === 1 && method === 'GET') return ok({ status: 'available' });
    if (a === 'version' && s.length === 1 && method === 'GET') return ok({ commitSha: 'fake', commitDate: 'fake', pkgVersion: 'fake' });
    if (a === 'tasks') {
      if (s.length === 1 && method === 'GET') return ok(this.listTasks(params));
      if (s.length === 2 && method === 'GET') {
        const task = this.tasks[Number(uid)];
        if (!task || !/^\d+$/.test(uid!)) throw new MeiliError(404, 'task_not_found', `Task \`${uid}\` not found.`);
        return ok(task);
      }
      return notFound();
    }
    if (a === 'swap-indexes' && s.length === 1 && method === 'POST') return this.swap(body);
    if (a !== 'indexes') return notFound();
    if (s.length === 1) {
      if (method === 'GET') {
        const all = [...this.indexes.values()].sort((x, y) => x.uid.localeCompare(y.uid)).map((i) => this.indexView(i));
        const offset = Number(params.get('offset') ?? 0);
        const limit = Number(params.get('limit') ?? 20);
        return ok({ results: all.slice(offset, offset + limit), offset, limit, total: all.length });
      }
      if (method === 'POST') return this.createIndex(body);
      return notFound();
    }
    const indexUid = checkIndexUid(uid);
    if (s.length === 2) {
      if (method === 'GET') return ok(this.indexView(this.requireIndex(indexUid)));
      if (method === 'DELETE') {
        return this.enqueue('indexDeletion', indexUid, { deletedDocuments: null }, () => {
          const index = this.requireIndex(indexUid);
          this.indexes.delete(indexUid);
          return { deletedDocuments: index.docs.size };
        });
      }
      if (method === 'PATCH') {
        const primaryKey = (body as { primaryKey?: string } | undefined)?.primaryKey;
        return this.enqueue('indexUpdate', indexUid, { primaryKey: primaryKey ?? null }, () => {
          const index = this.requireIndex(indexUid);
          if (primaryKey !== undefined) {
            if (index.docs.size && index.primaryKey !== primaryKey) throw new MeiliError(400, 'index_primary_key_already_exists', `Index \`${indexUid}\` already has a primary key: \`${index.primaryKey}\`.`);
            index.primaryKey = primaryKey;
          }
          index.updatedAt = nowIso();
        });
      }
      return notFound();
    }
    if (b === 'settings' && s.length === 3) {
      if (method === 'GET') return ok(this.requireIndex(indexUid).settings);
      if (method === 'PATCH') {
        const patch = checkSettings(body);
        return this.enqueue('settingsUpdate', indexUid, patch, () => {
          const index = this.indexes.get(indexUid) ?? this.newIndex(indexUid, null);
          index.settings = applySettings(index.settings, patch);
          index.updatedAt = nowIso();
        });
      }
      if (method === 'DELETE') {
        return this.enqueue('settingsUpdate', indexUid, {}, () => {
          this.requireIndex(indexUid).settings = defaultSettings();
        });
      }
      return notFound();
    }
    if (b === 'search' && s.length === 3 && method === 'POST') return ok(this.search(this.requireIndex(indexUid), (body ?? {}) as Record<string, unknown>));
    if (b === 'documents') return this.documents(method, indexUid, s.slice(3), params, body);
    return notFound();
  }

  private listTasks(params: URLSearchParams) {
    const limit = Number(params.get('limit') ?? 20);
    const from = params.has('from') ? Number(params.get('from')) : this.tasks.length - 1;
    const list = (key: string) => params.get(key)?.split(',').filter(Boolean);
    const uids = list('uids');
    const statuses = list('statuses');
    const types = list('types');
    const indexUids = list('indexUids');
    const matching = [...this.tasks]
      .reverse()
      .filter((t) => t.uid <= from && (!uids || uids.includes(String(t.uid))) && (!statuses || statuses.includes(t.status)) && (!types || types.includes(t.type)) && (!indexUids || indexUids.includes(t.indexUid ?? '')));
    const results = matching.slice(0, limit);
    return { results, total: this.tasks.length, limit, from: results[0]?.uid ?? null, next: matching[limit]?.uid ?? null };
  }

  private indexView(index: FakeIndex) {
    return { uid: index.uid, primaryKey: index.primaryKey, createdAt: index.createdAt, updatedAt: index.updatedAt };
  }

  private requireIndex(uid: string): FakeIndex {
    const index = this.indexes.get(uid);
    if (!index) throw indexNotFound(uid);
    return index;
  }

  private newIndex(uid: string, primaryKey: string | null): FakeIndex {
    const index: FakeIndex = { uid, primaryKey, createdAt: nowIso(), updatedAt: nowIso(), settings: defaultSettings(), docs: new Map(), nextInternal: 0 };
    this.indexes.set(uid, index);
    return index;
  }

  private createIndex(body: unknown) {
    const { uid, primaryKey } = (body ?? {}) as { uid?: unknown; primaryKey?: unknown };
    if (uid === undefined) throw new MeiliError(400, 'missing_index_uid', 'Missing field `uid`');
    const indexUid = checkIndexUid(uid);
    const pk = typeof primaryKey === 'string' ? primaryKey : null;
    return this.enqueue('indexCreation', indexUid, { primaryKey: pk }, () => {
      if (this.indexes.has(indexUid)) throw new MeiliError(409, 'index_already_exists', `Index \`${indexUid}\` already exists.`);
      this.newIndex(indexUid, pk);
    });
  }

  private swap(body: unknown) {
    if (!Array.isArray(body)) throw new MeiliError(400, 'bad_request', 'Invalid value type: expected a sequence.');
    const swaps = body.map((entry) => {
      const indexes = (entry as { indexes?: unknown })?.indexes;
      if (!Array.isArray(indexes) || indexes.length !== 2) throw new MeiliError(400, 'invalid_swap_indexes', 'Two indexes must be given for each swap. The list `[…]` contains a different number of indexes.');
      return { indexes: [checkIndexUid(indexes[0]), checkIndexUid(indexes[1])] as [string, string], rename: (entry as { rename?: unknown }).rename === true };
    });
    const all = swaps.flatMap((sw) => sw.indexes);
    const dup = all.find((u, i) => all.indexOf(u) !== i);
    if (dup) throw new MeiliError(400, 'invalid_swap_duplicate_index_found', `Indexes must be declared only once during a swap. \`${dup}\` was specified several times.`);
    return this.enqueue('indexSwap', null, { swaps }, () => {
      for (const { indexes: [x, y], rename } of swaps) {
        if (rename) {
          if (this.indexes.has(y)) throw new MeiliError(400, 'index_already_exists', `Index \`${y}\` already exists.`);
          const ix = this.requireIndex(x);
          this.indexes.delete(x);
          this.indexes.set(y, { ...ix, uid: y });
        } else {
          const ix = this.requireIndex(x);
          const iy = this.requireIndex(y);
          this.indexes.set(x, { ...iy, uid: x });
          this.indexes.set(y, { ...ix, uid: y });
        }
      }
    });
  }

  private documents(method: string, indexUid: string, rest: string[], params: URLSearchParams, body: unknown) {
    const [what] = rest;
    const ok = (b: unknown) => ({ status: 200, body: b });
    const list = (index: FakeIndex, q: { offset?: unknown; limit?: unknown; fields?: unknown; filter?: unknown }) => {
      const filter = parseFilterParam(q.filter, 'invalid_document_filter');
      checkFilterable(filter, index.settings, 'invalid_document_filter');
      const fields = typeof q.fields === 'string' ? q.fields.split(',') : Array.isArray(q.fields) ? (q.fields as string[]) : null;
      const offset = Number(q.offset ?? 0);
      const limit = Number(q.limit ?? 20);
      const docs = [...index.docs.values()].sort((x, y) => x.internal - y.internal).map((d) => d.doc).filter((d) => !filter || evaluate(filter, d));
      const results = docs.slice(offset, offset + limit).map((d) => this.displayed(index, d, fields && !fields.includes('*') ? fields : null));
      return ok({ results, offset, limit, total: docs.length });
    };
    if (rest.length === 0) {
      if (method === 'GET') {
        return list(this.requireIndex(indexUid), { offset: params.get('offset') ?? undefined, limit: params.get('limit') ?? undefined, fields: params.get('fields') ?? undefined, filter: params.get('filter') ?? undefined });
      }
      if (method === 'POST' || method === 'PUT') return this.addDocuments(indexUid, body, params.get('primaryKey'), method === 'PUT');
      if (method === 'DELETE') {
        return this.enqueue('documentDeletion', indexUid, { providedIds: 0, deletedDocuments: null, originalFilter: null }, () => {
          const index = this.requireIndex(indexUid);
          const n = index.docs.size;
          index.docs.clear();
          return { deletedDocuments: n };
        });
      }
      return { status: 404, body: undefined };
    }
    if (what === 'fetch' && rest.length === 1 && method === 'POST') return list(this.requireIndex(indexUid), (body ?? {}) as Record<string, unknown>);
    if (what === 'delete' && rest.length === 1 && method === 'POST') {
      const filterParam = (body as { filter?: unknown } | undefined)?.filter;
      const filter = parseFilterParam(filterParam, 'invalid_document_filter');
      if (!filter) throw new MeiliError(400, 'missing_document_filter', 'Missing field `filter`');
      return this.enqueue('documentDeletion', indexUid, { providedIds: 0, deletedDocuments: null, originalFilter: JSON.stringify(filterParam) }, () => {
        const index = this.requireIndex(indexUid);
        checkFilterable(filter, index.settings, 'invalid_document_filter');
        let n = 0;
        for (const [id, d] of index.docs) {
          if (evaluate(filter, d.doc)) {
            index.docs.delete(id);
            n++;
          }
        }
        return { deletedDocuments: n };
      });
    }
    if (what === 'delete-batch' && rest.length === 1 && method === 'POST') {
      const ids = Array.isArray(body) ? body.map(String) : [];
      return this.enqueue('documentDeletion', indexUid, { providedIds: ids.length, deletedDocuments: null, originalFilter: null }, () => {
        const index = this.requireIndex(indexUid);
        let n = 0;
        for (const id of ids) if (index.docs.delete(id)) n++;
        return { deletedDocuments: n };
      });
    }
    if (rest.length === 1 && what) {
      if (method === 'GET') {
        const index = this.requireIndex(indexUid);
        const d = index.docs.get(what);
        if (!d) throw new MeiliError(404, 'document_not_found', `Document \`${what}\` not found.`);
        const fields = params.get('fields');
        return ok(this.displayed(index, d.doc, fields ? fields.split(',') : null));
      }
      if (method === 'DELETE') {
        return this.enqueue('documentDeletion', indexUid, { providedIds: 1, deletedDocuments: null, originalFilter: null }, () => {
          return { deletedDocuments: this.requireIndex(indexUid).docs.delete(what) ? 1 : 0 };
        });
      }
    }
    return { status: 404, body: undefined };
  }

  private displayed(index: FakeIndex, doc: Doc, fields: string[] | null): Doc {
    const shown = index.settings.displayedAttributes;
    const out: Doc = {};
    for (const [k, v] of Object.entries(doc)) {
      if (!shown.includes('*') && !shown.includes(k)) continue;
      if (fields && !fields.some((f) => patternMatches(f, k))) continue;
      out[k] = v;
    }
    return out;
  }

  private addDocuments(indexUid: string, body: unknown, primaryKeyParam: string | null, merge: boolean) {
    const docs = (Array.isArray(body) ? body : body && typeof body === 'object' ? [body] : null) as Doc[] | null;
    if (!docs || docs.some((d) => !d || typeof d !== 'object' || Array.isArray(d))) throw new MeiliError(400, 'malformed_payload', 'The `json` payload provided is malformed. `Couldn\'t serialize document value: expected an array of objects`.');
    return this.enqueue('documentAdditionOrUpdate', indexUid, { receivedDocuments: docs.length, indexedDocuments: null }, () => {
      const index = this.indexes.get(indexUid);
      if (index?.primaryKey && primaryKeyParam && primaryKeyParam !== index.primaryKey) {
        throw new MeiliError(400, 'index_primary_key_already_exists', `Index \`${indexUid}\` already has a primary key: \`${index.primaryKey}\`.`);
      }
      const primaryKey = index?.primaryKey ?? primaryKeyParam ?? inferPrimaryKey(docs[0]);
      // The whole batch fails if one document is invalid; nothing is written.
      const ids = docs.map((d) => documentId(d, primaryKey));
      const target = index ?? this.newIndex(indexUid, primaryKey);
      target.primaryKey ??= primaryKey;
      docs.forEach((d, i) => {
        const id = ids[i]!;
        const old = target.docs.get(id);
        const doc = merge && old ? { ...old.doc, ...structuredClone(d) } : structuredClone(d);
        target.docs.set(id, { internal: old?.internal ?? target.nextInternal++, doc, tokens: new Map() });
      });
      target.updatedAt = nowIso();
      return { indexedDocuments: docs.length };
    });
  }

  private search(index: FakeIndex, body: Record<string, unknown>) {
    const started = Date.now();
    for (const key of Object.keys(body)) {
      if (!SEARCH_PARAMS.includes(key)) throw unknownField(key, SEARCH_PARAMS);
      if (UNSUPPORTED_PARAMS.includes(key) && body[key] !== undefined && body[key] !== null) throw new MeiliError(400, 'bad_request', `The fake Meilisearch does not implement \`${key}\`.`);
    }
    const q = body.q === undefined || body.q === null ? '' : body.q;
    if (typeof q !== 'string') throw new MeiliError(400, 'invalid_search_q', 'Invalid value type at `.q`: expected a string.');
    const int = (key: string, def: number) => {
      const v = body[key];
      if (v === undefined || v === null) return def;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new MeiliError(400, `invalid_search_${key.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`)}`, `Invalid value type at \`.${key}\`: expected a positive integer.`);
      return v;
    };
    const filter = parseFilterParam(body.filter, 'invalid_search_filter');
    checkFilterable(filter, index.settings, 'invalid_search_filter');
    const sort = (Array.isArray(body.sort) ? (body.sort as string[]) : []).map((s) => {
      const m = /^(.+):(asc|desc)$/.exec(String(s));
      if (!m) throw new MeiliError(400, 'invalid_search_sort', `Invalid syntax for the sort parameter: expected expression ending by \`:asc\` or \`:desc\`, found \`${s}\`.`);
      if (!index.settings.sortableAttributes.some((p) => patternMatches(p, m[1]!))) throw new MeiliError(400, 'invalid_search_sort', `Attribute \`${m[1]}\` is not sortable.`);
      return { attr: m[1]!, desc: m[2] === 'desc' };
    });
    if (sort.length && !index.settings.rankingRules.includes('sort')) throw new MeiliError(400, 'invalid_search_sort', 'You must specify where `sort` is listed in the rankingRules setting to use the sort parameter at search time.');
    const distinctParam = body.distinct;
    if (distinctParam !== undefined && distinctParam !== null) {
      if (typeof distinctParam !== 'string' || !filterablePatterns(index.settings).some((p) => patternMatches(p, distinctParam))) {
        throw new MeiliError(400, 'invalid_search_distinct', `Attribute \`${String(distinctParam)}\` is not filterable and thus, cannot be used as distinct attribute.`);
      }
    }
    const distinct = (distinctParam as string | undefined) ?? index.settings.distinctAttribute;
    const strategy = body.matchingStrategy ?? 'last';
    if (strategy !== 'last' && strategy !== 'all' && strategy !== 'frequency') throw new MeiliError(400, 'invalid_search_matching_strategy', `Unknown value \`${String(strategy)}\` at \`.matchingStrategy\`: expected one of \`last\`, \`all\`, \`frequency\`.`);

    // Query words.
    const qTokens = tokenize(q).slice(0, 10);
    const endsInWord = qTokens.length > 0 && qTokens[qTokens.length - 1]!.end === q.length;
    const words: QueryWord[] = qTokens.map((t, i) => ({ norm: t.norm, cjk: t.cjk, prefix: endsInWord && i === qTokens.length - 1 }));

    // Candidates: filtered documents that match (all words, or the first k words with `last`).
    const candidates: Array<{ m: DocMatch; k: number }> = [];
    for (const stored of index.docs.values()) {
      if (filter && !evaluate(filter, stored.doc)) continue;
      const m = matchDocument(index, stored, words);
      let k = 0;
      while (k < words.length && m.perWord[k]!.length) k++;
      // With `last`, query words are dropped from the end until the document matches them all.
      if (words.length === 0 || k === words.length || (strategy !== 'all' && k > 0)) candidates.push({ m, k });
    }
    const rules = index.settings.rankingRules;
    const ranked = candidates.map((c) => ({ ...c, key: rankKey(c.m, c.k, rules, sort) })).sort((x, y) => compareKeys(x.key, y.key));
    const seen = new Set<string>();
    const unique = ranked.filter(({ m }) => {
      if (!distinct) return true;
      const v = getPath(m.stored.doc, distinct);
      if (v === undefined || v === null) return true;
      const key = JSON.stringify(v);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const maxTotal = index.settings.pagination.maxTotalHits;
    const capped = unique.slice(0, maxTotal);
    const paged = body.page !== undefined || body.hitsPerPage !== undefined;
    let slice: typeof capped;
    let info: Record<string, number>;
    if (paged) {
      const page = int('page', 1);
      const hitsPerPage = int('hitsPerPage', 20);
      slice = page === 0 ? [] : capped.slice((page - 1) * hitsPerPage, page * hitsPerPage);
      info = { hitsPerPage, page, totalPages: hitsPerPage === 0 ? 0 : Math.ceil(capped.length / hitsPerPage), totalHits: capped.length };
    } else {
      const offset = int('offset', 0);
      const limit = int('limit', 20);
      slice = capped.slice(offset, offset + limit);
      info = { limit, offset, estimatedTotalHits: capped.length };
    }

    const list = (v: unknown) => (Array.isArray(v) ? (v as string[]) : null);
    const retrieve = list(body.attributesToRetrieve) ?? ['*'];
    const toHighlight = list(body.attributesToHighlight);
    const cropSpec = list(body.attributesToCrop);
    const cropLength = int('cropLength', 10);
    const crops = new Map<string, number>();
    for (const spec of cropSpec ?? []) {
      const m = /^(.*):(\d+)$/.exec(spec);
      crops.set(m ? m[1]! : spec, m ? Number(m[2]) : cropLength);
    }
    const pre = typeof body.highlightPreTag === 'string' ? body.highlightPreTag : '<em>';
    const post = typeof body.highlightPostTag === 'string' ? body.highlightPostTag : '</em>';
    const marker = typeof body.cropMarker === 'string' ? body.cropMarker : '…';

    const hits = slice.map(({ m }) => {
      const shown = this.displayed(index, m.stored.doc, null);
      const hit: Doc = {};
      for (const [k, v] of Object.entries(shown)) if (retrieve.some((p) => patternMatches(p, k))) hit[k] = v;
      if (toHighlight || cropSpec) {
        const formatted: Doc = {};
        for (const [k, v] of Object.entries(shown)) {
          const highlight = !!toHighlight?.some((p) => patternMatches(p, k));
          const crop = [...crops.entries()].find(([p]) => patternMatches(p, k))?.[1] ?? null;
          if (!(k in hit) && !highlight && crop === null) continue;
          const text = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
          formatted[k] = text === null ? v : formatText(text, m.highlights.get(k) ?? [], { highlight, crop, pre, post, marker });
        }
        hit._formatted = formatted;
      }
      return hit;
    });
    return { hits, query: q, processingTimeMs: Date.now() - started, ...info };
  }
}
