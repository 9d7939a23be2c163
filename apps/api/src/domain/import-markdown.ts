import { posix } from 'node:path';
import yauzl from 'yauzl';
import { DomainError, unprocessable, tooLarge, rateLimited } from './errors.ts';
import { importFrontMatter, type FrontMatter } from './front-matter.ts';

/** One Markdown file to import, at a path of folder names. */
export interface ImportFile {
  /** Folder names from the archive root, then the file name (e.g. ["Design", "api.md"]). */
  path: string[];
  markdown: string;
}

export interface ImportLimits {
  /** Most entries an archive may hold (files and folders). */
  entries: number;
  /** Most bytes all files may inflate to together — counted while inflating, headers are not trusted. */
  uncompressedBytes: number;
  /** Most bytes one Markdown file may inflate to. */
  fileBytes: number;
  /** Called with every inflated chunk's size (e.g. a person's `ImportBudget` lease); throws to refuse. */
  take?: (bytes: number) => void;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = { entries: 2000, uncompressedBytes: 100 * 1024 * 1024, fileBytes: 2 * 1024 * 1024 };

const MARKDOWN = /\.(md|markdown|mdown|mkd)$/i;

function openZip(buffer: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    // decodeStrings: false, so that one entry named `../x.md` or `/x.md` is skipped (see readZip)
    // instead of yauzl failing the whole archive on it.
    yauzl.fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false, decodeStrings: false }, (err, zip) =>
      err || !zip ? reject(unprocessable(`That is not a readable zip archive (${err?.message ?? 'unknown error'}).`)) : resolve(zip),
    ),
  );
}

/** Splits an entry name into safe path parts; `..`, absolute paths and hidden files are dropped. */
function safeParts(name: string): string[] | null {
  const normalized = posix.normalize(name.replace(/\\/g, '/'));
  if (normalized.startsWith('../') || normalized === '..') return null;
  const parts = normalized.split('/').filter((p) => p && p !== '.');
  if (parts.some((p) => p.startsWith('.') || p === '__MACOSX')) return null;
  return parts;
}

/**
 * Reads the Markdown files of a zip archive, safe against zip bombs: the entry count is capped,
 * and every file is inflated as a stream whose bytes are counted against the per-file and total
 * caps, so a forged size header cannot get past them.
 */
export async function readZip(buffer: Buffer, limits: ImportLimits = DEFAULT_IMPORT_LIMITS): Promise<ImportFile[]> {
  const zip = await openZip(buffer);
  if (zip.entryCount > limits.entries) {
    zip.close();
    throw tooLarge(`The archive holds ${zip.entryCount} entries; at most ${limits.entries} are allowed.`);
  }
  const files: ImportFile[] = [];
  let total = 0;
  return new Promise((resolve, reject) => {
    const fail = (err: unknown) => {
      zip.close();
      reject(err instanceof DomainError ? err : unprocessable(`The archive could not be read: ${(err as Error).message}`));
    };
    zip.on('error', fail);
    zip.on('end', () => resolve(files));
    zip.on('entry', (entry: yauzl.Entry) => {
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
      const parts = yauzl.validateFileName(name) === null ? safeParts(name) : null;
      if (!parts || name.endsWith('/') || !MARKDOWN.test(name)) return zip.readEntry();
      if (entry.uncompressedSize > limits.fileBytes) return fail(tooLarge(`${name} is larger than ${limits.fileBytes} bytes.`));
      zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) return fail(err ?? new Error('no stream'));
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          total += chunk.length;
          try {
            if (size > limits.fileBytes || total > limits.uncompressedBytes) throw tooLarge('The archive inflates to more than the import limit.');
            limits.take?.(chunk.length);
          } catch (err) {
            stream.destroy();
            fail(err);
            return;
          }
          chunks.push(chunk);
        });
        stream.on('error', fail);
        stream.on('end', () => {
          files.push({ path: parts, markdown: Buffer.concat(chunks).toString('utf8').replaceAll('\u0000', '') });
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
}

/**
 * Inflated bytes held by each person's running imports, so that concurrent imports by one person
 * count together against one budget (per process). An import takes a lease, counts bytes against
 * it while inflating, and releases it all when it ends, however it ends.
 */
export class ImportBudget {
  private readonly held = new Map<string, number>();

  lease(userId: string, limit: number): { take: (bytes: number) => void; release: () => void } {
    let mine = 0;
    return {
      take: (bytes) => {
        const total = (this.held.get(userId) ?? 0) + bytes;
        if (total > limit) {
          if (total - mine - bytes > 0) {
            throw rateLimited(`Your imports running now would hold more than ${limit} bytes together; wait for them to finish.`, 10, { retryAfter: 10 });
          }
          throw tooLarge(`The import inflates to more than ${limit} bytes.`);
        }
        this.held.set(userId, total);
        mine += bytes;
      },
      release: () => {
        const left = (this.held.get(userId) ?? 0) - mine;
        mine = 0;
        if (left > 0) this.held.set(userId, left);
        else this.held.delete(userId);
      },
    };
  }

  /** Bytes `userId`'s running imports hold now. */
  heldBy(userId: string): number {
    return this.held.get(userId) ?? 0;
  }
}

/** What the API process's imports hold (the route takes a lease per import). */
export const importBudget = new ImportBudget();

/** What the API refuses in a title (see `singleLineText`): controls, line/paragraph separators, bidi overrides, lone surrogates. */
// eslint-disable-next-line no-control-regex -- matching control characters (to replace them) is the point
const NOT_IN_TITLE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const cleanTitle = (title: string) => title.replace(NOT_IN_TITLE, ' ').replace(/ {2,}/g, ' ').trim();

/**
 * The leading `# Heading` line of `text` (after blank lines and indentation), scanned by hand in
 * linear time: the regular expression this replaces backtracked cubically on trailing blanks.
 * Returns the heading's content (closing `#`s removed, as CommonMark does: only after a blank)
 * and where the line ends.
 */
function leadingHeading(text: string): { content: string; end: number } | null {
  const start = text.search(/\S/);
  if (start < 0 || text[start] !== '#' || (text[start + 1] !== ' ' && text[start + 1] !== '\t')) return null;
  const newline = text.indexOf('\n', start);
  const lineEnd = newline < 0 ? text.length : newline;
  let content = text.slice(start + 1, lineEnd).trim();
  let hashes = content.length;
  while (hashes > 0 && content[hashes - 1] === '#') hashes--;
  if (hashes === 0) content = '';
  else if (hashes < content.length && (content[hashes - 1] === ' ' || content[hashes - 1] === '\t')) content = content.slice(0, hashes).trimEnd();
  if (!content) return null;
  return { content, end: newline < 0 ? text.length : newline + 1 };
}

/** An imported file read: its title, its body, and what its front matter holds (see `FrontMatter`). */
export interface ReadImportFile {
  title: string;
  markdown: string;
  front: FrontMatter;
}

/**
 * Reads an imported file: its front matter is removed from the body (always — when it cannot be
 * read too, with a warning); the title is front matter's `title`, else the leading `# Heading`
 * (then removed from the body), else the file name without its extension.
 */
export function readImportFile(fileName: string, markdown: string): ReadImportFile {
  const normalized = markdown.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').replaceAll('\u0000', '');
  const { front, body: text } = importFrontMatter(normalized);
  const fallback = cleanTitle(fileName.replace(MARKDOWN, '').replace(/[-_]+/g, ' ')) || 'Untitled';
  const fromFront = front.title === null ? '' : cleanTitle(front.title).slice(0, 300).trim();
  if (fromFront) return { title: fromFront, markdown: text, front };
  const heading = leadingHeading(text);
  if (heading) {
    const title = cleanTitle(heading.content.replace(/\\([\\`*_[\]#<>])/g, '$1')).slice(0, 300).trim();
    return { title: title || fallback, markdown: text.slice(heading.end).replace(/^\n+/, ''), front };
  }
  return { title: fallback.slice(0, 300), markdown: text, front };
}

/** The title and body of an imported file (see `readImportFile`). */
export function titleAndBody(fileName: string, markdown: string): { title: string; markdown: string } {
  const { title, markdown: body } = readImportFile(fileName, markdown);
  return { title, markdown: body };
}

/** Names of the file in a folder whose body becomes the folder's own document. */
export const INDEX_FILES = /^(index|readme|_index)\.(md|markdown)$/i;
