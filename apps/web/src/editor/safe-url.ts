// Which link targets the editor accepts. A link may point at the web (http, https), at an inbox or a
// phone (mailto, tel), or at a path of this site (/docs/…); never at script (javascript:,
// vbscript:) or inline content (data:, blob:, file:).

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:', 'tel:']);

/** The scheme a browser would see, after dropping what it ignores (controls, whitespace). */
function schemeOf(url: string): string | null {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what a browser drops from a URL
  const compact = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  const match = /^([a-z][a-z0-9+.-]*):/i.exec(compact);
  return match?.[1] ? `${match[1].toLowerCase()}:` : null;
}

/** True for a URL a link may point at: an allowed scheme, or a path/anchor on this site. */
export function isSafeUrl(url: string): boolean {
  const trimmed = url.trim();
  if (trimmed === '') return false;
  const scheme = schemeOf(trimmed);
  if (scheme !== null) return ALLOWED_PROTOCOLS.has(scheme);
  // No scheme: a path, query or anchor on this site. "//host" is another site over this page's
  // scheme, which is as safe as http(s).
  return /^(\/|#|\?|\.)/.test(trimmed);
}

/**
 * What a person typed into the link box, made into a URL: "example.com" becomes
 * "https://example.com", "a@b.c" becomes "mailto:a@b.c". Null when the result is not safe.
 */
export function normalizeUrl(input: string): string | null {
  const trimmed = input.trim();
  if (trimmed === '') return null;
  let url = trimmed;
  if (schemeOf(trimmed) === null && !/^(\/|#|\?|\.)/.test(trimmed)) {
    url = /^[^\s@/]+@[^\s@/]+\.[^\s@/]+$/.test(trimmed) ? `mailto:${trimmed}` : `https://${trimmed}`;
  }
  return isSafeUrl(url) ? url : null;
}

/** True when `url` points at a page of this site (so it opens in place, not in a new tab). */
export function isSameSitePath(url: string): boolean {
  return /^\/(?![/\\])/.test(url.trim());
}
