/**
 * Link URL policy shared by the Markdown importer and exporter.
 *
 * A deny-list of the schemes that run code or smuggle content (`javascript:`, `vbscript:`,
 * `data:`, `file:`), checked the way a browser reads the URL: ASCII whitespace and control
 * characters anywhere in it are ignored and the scheme is case-insensitive, so `JaVa\tScRiPt:`
 * is caught too. Everything else (relative URLs, http(s), mailto, tel, custom schemes) is kept;
 * LinkNode sanitizes again when it renders to the DOM.
 */
const UNSAFE_SCHEMES = new Set(['javascript', 'vbscript', 'data', 'file']);

export function isSafeLinkUrl(url: string): boolean {
  // eslint-disable-next-line no-control-regex -- browsers ignore controls in a scheme (java\0script:), so strip them first
  const compact = url.replace(/[\u0000-\u0020\u007f]+/g, '').toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(compact)?.[1];
  return scheme === undefined || !UNSAFE_SCHEMES.has(scheme);
}
