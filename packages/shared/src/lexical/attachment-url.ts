/**
 * Which URLs images and files may point at, and the Markdown conventions that keep an image's width
 * and a file's size in its URL.
 *
 * - An image renders only from `http:`/`https:` or a `/`-relative path (not `//host`); anything else
 *   (`javascript:`, `data:` — refused entirely —, `file:`, other relative paths) is no image source.
 * - A file node points at an attachment: `/api/attachments/<id>`, relative or on any http(s) host.
 * - Width and size ride in the URL fragment, which never reaches a server: `url#w=320` (an image
 *   320 CSS pixels wide), `url#size=2458624` (a file of that many bytes). Only the canonical form
 *   (digits without a leading zero, in range) is read as one; any other fragment stays part of the
 *   URL, so export(import(x)) == x.
 */

export const MAX_IMAGE_WIDTH = 4096;
/** Alt text and captions longer than this are cut (they are labels, not content). */
export const MAX_LABEL_LENGTH = 1000;
/** File names longer than this are cut. */
export const MAX_FILE_NAME_LENGTH = 255;

/** Whether `src` may be rendered as an image: http(s) or a `/`-relative path. */
export function isSafeImageSrc(src: string): boolean {
  if (src.length === 0 || src.length > 4096) return false;
  for (let i = 0; i < src.length; i++) {
    const code = src.charCodeAt(i);
    // Controls and white space: browsers strip them and a scheme could hide behind them.
    if (code <= 0x20 || code === 0x7f || code === 0x5c) return false;
  }
  if (src.startsWith('/')) return !src.startsWith('//');
  const lower = src.slice(0, 8).toLowerCase();
  return (lower.startsWith('https://') || lower.startsWith('http://')) && src.length > lower.indexOf('//') + 2;
}

/** A width clamped to 1..4096 whole pixels, or null for none. */
export function clampImageWidth(width: number | null | undefined): number | null {
  if (width === null || width === undefined || !Number.isFinite(width)) return null;
  return Math.min(MAX_IMAGE_WIDTH, Math.max(1, Math.round(width)));
}

/** A file size in whole bytes (≥ 0), or null for unknown. */
export function cleanFileSize(size: number | null | undefined): number | null {
  if (size === null || size === undefined || !Number.isFinite(size) || size < 0) return null;
  return Math.min(Number.MAX_SAFE_INTEGER, Math.round(size));
}

export function capLabel(text: string, max = MAX_LABEL_LENGTH): string {
  return text.length > max ? text.slice(0, max) : text;
}

function isDigits(text: string): boolean {
  if (text === '' || (text.length > 1 && text[0] === '0')) return false;
  for (const char of text) if (char < '0' || char > '9') return false;
  return true;
}

/** Splits `url#<key>=<n>` into the URL and n, when the fragment is exactly that in canonical form. */
function splitFragmentNumber(url: string, key: string, max: number): { url: string; value: number | null } {
  const hash = url.lastIndexOf('#');
  const prefix = `${key}=`;
  if (hash < 0 || !url.startsWith(prefix, hash + 1) || url.indexOf('#') !== hash) return { url, value: null };
  const digits = url.slice(hash + 1 + prefix.length);
  if (!isDigits(digits) || digits.length > 16) return { url, value: null };
  const value = Number(digits);
  if (value > max) return { url, value: null };
  return { url: url.slice(0, hash), value };
}

/** `src#w=320` → { src, width: 320 }; any other URL → { src: url, width: null }. */
export function splitImageWidth(url: string): { src: string; width: number | null } {
  const { url: src, value } = splitFragmentNumber(url, 'w', MAX_IMAGE_WIDTH);
  return value === null || value < 1 ? { src: url, width: null } : { src, width: value };
}

export function joinImageWidth(src: string, width: number | null): string {
  return width === null ? src : `${src}#w=${width}`;
}

/** `src#size=123` → { src, size: 123 }; any other URL → { src: url, size: null }. */
export function splitFileSize(url: string): { src: string; size: number | null } {
  const { url: src, value } = splitFragmentNumber(url, 'size', Number.MAX_SAFE_INTEGER);
  return value === null ? { src: url, size: null } : { src, size: value };
}

export function joinFileSize(src: string, size: number | null): string {
  return size === null ? src : `${src}#size=${size}`;
}

const ATTACHMENT_PATH = '/api/attachments/';

function isIdChar(char: string): boolean {
  return (
    (char >= 'a' && char <= 'z') || (char >= 'A' && char <= 'Z') || (char >= '0' && char <= '9') || char === '_' || char === '-'
  );
}

/** The attachment id of `/api/attachments/<id>` (relative, or absolute on an http(s) host), else null. */
export function attachmentIdFromUrl(url: string): string | null {
  let path = url;
  const lower = url.slice(0, 8).toLowerCase();
  if (lower.startsWith('https://') || lower.startsWith('http://')) {
    const hostStart = lower.indexOf('//') + 2;
    const slash = url.indexOf('/', hostStart);
    if (slash <= hostStart) return null;
    const host = url.slice(hostStart, slash);
    for (const char of host) if (char === '?' || char === '#' || char === '@' || char <= ' ') return null;
    path = url.slice(slash);
  }
  if (!path.startsWith(ATTACHMENT_PATH)) return null;
  const id = path.slice(ATTACHMENT_PATH.length);
  if (id === '' || id.length > 200) return null;
  for (const char of id) if (!isIdChar(char)) return null;
  return id;
}

/** Whether a link text looks like a file name: one line, no slashes, ending in `.<ext>` (1–10 letters/digits). */
export function looksLikeFileName(name: string): boolean {
  if (name.length < 3 || name.length > MAX_FILE_NAME_LENGTH || name.trim() !== name) return false;
  for (const char of name) if (char === '\n' || char === '\r' || char === '/' || char === '\\') return false;
  const dot = name.lastIndexOf('.');
  const ext = name.slice(dot + 1);
  if (dot < 1 || ext.length < 1 || ext.length > 10) return false;
  for (const char of ext) {
    if (!((char >= 'a' && char <= 'z') || (char >= 'A' && char <= 'Z') || (char >= '0' && char <= '9'))) return false;
  }
  return true;
}

/** A human size: "512 B", "2.4 KB", "2.4 MB", "1.1 GB" (powers of 1024, one decimal under 10). */
export function formatFileSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} B`;
  const shown = value < 10 ? value.toFixed(1).replace(/\.0$/, '') : String(Math.round(value));
  return `${shown} ${units[unit]}`;
}
