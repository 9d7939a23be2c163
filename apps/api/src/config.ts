import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: `npm start` runs this package from apps/api, but data lives in ./data at the root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Everything Handoff reads from the environment, in one place (each variable is declared in turbo.json). */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  databaseAuthToken: string | undefined;
  /** Seed the demo workspace into an empty database. */
  demo: boolean;
  logLevel: string;
  /** Cookies get `Secure` when the public URL is https (or HANDOFF_SECURE_COOKIES=1). */
  secureCookies: boolean;
  publicUrl: string | undefined;
  /** `open` (anyone who reaches the server may sign up) or `closed` (only the first user; then admins add people by CLI). */
  signup: 'open' | 'closed';
  session: { idleMs: number; absoluteMs: number };
  limits: { bodyBytes: number; importBytes: number; importEntries: number; importUncompressedBytes: number };
  /** Set: search runs on this Meilisearch server; unset: the embedded SQLite FTS5 engine. */
  meilisearch: { url: string; apiKey: string | undefined; index: string } | null;
  /** Set (a base URL or an API key): briefs are written by an LLM through this OpenAI-compatible endpoint. */
  llm: { baseUrl: string | undefined; apiKey: string | undefined; model: string | undefined } | null;
}

const DAY = 24 * 60 * 60 * 1000;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const publicUrl = env.HANDOFF_PUBLIC_URL || undefined;
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: resolveDatabaseUrl(env.DATABASE_URL, env.INIT_CWD),
    databaseAuthToken: env.DATABASE_AUTH_TOKEN || undefined,
    demo: env.HANDOFF_DEMO !== '0',
    logLevel: env.HANDOFF_LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    secureCookies: env.HANDOFF_SECURE_COOKIES === '1' || (publicUrl?.startsWith('https:') ?? false),
    publicUrl,
    signup: env.HANDOFF_SIGNUP === 'closed' ? 'closed' : 'open',
    session: { idleMs: 7 * DAY, absoluteMs: 30 * DAY },
    meilisearch: env.MEILISEARCH_URL
      ? { url: env.MEILISEARCH_URL, apiKey: env.MEILISEARCH_API_KEY || undefined, index: env.MEILISEARCH_INDEX || 'handoff_docs' }
      : null,
    llm:
      env.OPENAI_BASE_URL || env.OPENAI_API_KEY
        ? { baseUrl: env.OPENAI_BASE_URL || undefined, apiKey: env.OPENAI_API_KEY || undefined, model: env.HANDOFF_LLM_MODEL || undefined }
        : null,
    limits: {
      bodyBytes: 2 * 1024 * 1024,
      importBytes: 20 * 1024 * 1024,
      importEntries: 2000,
      importUncompressedBytes: 100 * 1024 * 1024,
    },
  };
}

/**
 * `file:` URLs with a relative path are taken relative to where the command was typed (npm's
 * INIT_CWD), not to the package folder turbo runs in; the default is ./data/handoff.db at the root.
 */
export function resolveDatabaseUrl(url: string | undefined, initCwd: string | undefined): string {
  if (!url) return `file:${resolve(repoRoot, 'data/handoff.db')}`;
  if (!url.startsWith('file:')) return url;
  const path = url.slice('file:'.length);
  if (path.startsWith('/') || isAbsolute(path) || path.startsWith(':memory:')) return url;
  return `file:${resolve(initCwd ?? process.cwd(), path)}`;
}
