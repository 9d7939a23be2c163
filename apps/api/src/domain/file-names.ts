/**
 * File names that keep Unicode: only what Windows, macOS or Linux cannot hold is replaced —
 * `<>:"/\|?*`, control characters, trailing dots and spaces, Windows' reserved device names — and
 * names are cut to 255 bytes of UTF-8 (on a code point boundary). A leading dot is replaced too, so
 * that the file is not hidden (and our own import, which skips hidden files, reads it back).
 */

export const MAX_FILE_NAME_BYTES = 255;

// eslint-disable-next-line no-control-regex -- matching control characters (to replace them) is the point
const ILLEGAL = /[<>:"/\\|?*\u0000-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Windows' device names, reserved with any extension (`CON`, `nul.txt`, `COM1`, `LPT¹`). */
const RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/i;

const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** `text` cut to at most `max` bytes of UTF-8, never inside a code point. */
function cutToBytes(text: string, max: number): string {
  if (utf8Bytes(text) <= max) return text;
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const size = utf8Bytes(ch);
    if (bytes + size > max) break;
    out += ch;
    bytes += size;
  }
  return out;
}

/** `text` without trailing dots and spaces (which Windows drops), scanned by hand in linear time. */
function withoutTrailingDotsAndSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === '.' || text[end - 1] === ' ')) end--;
  return text.slice(0, end);
}

/** The stem (no extension) of a file or folder name for `title`, safe on every platform, at most `maxBytes`. */
export function safeStem(title: string, maxBytes = MAX_FILE_NAME_BYTES): string {
  let stem = title.normalize('NFC').replace(ILLEGAL, '_').replace(/\s+/g, ' ').trim();
  stem = stem.replace(/^\.+/, (dots) => '_'.repeat(dots.length));
  stem = withoutTrailingDotsAndSpaces(cutToBytes(stem, maxBytes));
  if (!stem) return 'Untitled';
  const [first = '', ...rest] = stem.split('.');
  if (RESERVED.test(first.trimEnd())) stem = cutToBytes([`${first.trimEnd()}_`, ...rest].join('.'), maxBytes);
  return stem;
}

/** A file name for a document titled `title` (`Grüße` → `Grüße.md`). */
export function fileNameFor(title: string, extension = '.md'): string {
  return `${safeStem(title, MAX_FILE_NAME_BYTES - utf8Bytes(extension))}${extension}`;
}

/**
 * Hands out names unique within one folder, ignoring case and Unicode normalization (as macOS and
 * Windows compare them): the second "Setup" becomes "Setup (2)", the third "Setup (3)".
 */
export class FolderNames {
  private readonly used = new Set<string>();

  /** A unique stem for `title`, leaving room for `extension` within 255 bytes. */
  take(title: string, extension = ''): string {
    const room = MAX_FILE_NAME_BYTES - utf8Bytes(extension);
    const base = safeStem(title, room);
    let name = base;
    for (let i = 2; this.used.has(name.normalize('NFC').toLowerCase()); i++) {
      const suffix = ` (${i})`;
      name = `${cutToBytes(base, room - utf8Bytes(suffix)).trimEnd()}${suffix}`;
    }
    this.used.add(name.normalize('NFC').toLowerCase());
    return name;
  }
}

/**
 * A `Content-Disposition: attachment` value for `fileName`: an ASCII fallback in `filename` and
 * the real name, percent-encoded as UTF-8, in `filename*` (RFC 6266 / RFC 8187).
 */
export function attachmentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7E]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
