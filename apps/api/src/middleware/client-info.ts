// Moved to http/client-info.ts (shared with the collaboration upgrade). This re-export keeps the
// importers outside this change's files (routes/auth.ts) working until they import it from there.
export { clientIp, clientIpFrom, isHttps, isTrustedProxy, normalizeIp, secureCookies } from '../http/client-info.ts';
