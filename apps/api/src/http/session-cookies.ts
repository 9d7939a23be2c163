/**
 * The names under which a log-in session travels over HTTP, shared by the API's authentication
 * middleware and the collaboration upgrade (which reads the session cookie itself).
 */
export const SESSION_COOKIE = 'handoff_session';
export const CSRF_COOKIE = 'handoff_csrf';
export const CSRF_HEADER = 'x-csrf-token';
