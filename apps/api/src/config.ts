import { isIP } from 'node:net';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommentWriteLimits } from './domain/comment-admission.ts';
import { DEFAULT_AUTH_LIMITS, type AuthLimits } from './domain/login-limiter.ts';
import type { SignupMode } from './domain/identity.ts';

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
  /**
   * Proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed (HANDOFF_TRUSTED_PROXY: IPs,
   * CIDRs or `loopback`, comma-separated). Empty: forwarded headers are ignored. Read through
   * `http/client-info.ts` (clientIp, isHttps), never directly.
   */
  trustedProxy: string[];
  /** CSP `frame-ancestors` of the web app and API (HANDOFF_FRAME_ANCESTORS); `'none'` by default. */
  frameAncestors: string[];
  /** Limits of the HTTP server against slow and idle sockets (see startHttpServer in server.ts). */
  http: HttpLimits;
  /**
   * HANDOFF_SIGNUP. `invite` (default): the first person signs up freely and becomes the admin, then
   * only with an invite (`POST /api/invites`); `open`: anyone who reaches the server; `closed`: only
   * the first person, then admins add people with the CLI.
   */
  signup: SignupMode;
  /** Rate limits of log-in, sign-up and password change (kept in the database). */
  authLimits: AuthLimits;
  session: { idleMs: number; absoluteMs: number };
  limits: {
    bodyBytes: number;
    importBytes: number;
    importEntries: number;
    /** HANDOFF_IMPORT_MAX_BYTES: most bytes one import may inflate to (counted while inflating). */
    importUncompressedBytes: number;
    /** HANDOFF_IMPORT_USER_BYTES: most inflated bytes one person's concurrent imports may hold together. */
    importUserBytes: number;
    /** HANDOFF_PARSER_WORKERS: worker threads parsing large Markdown (one running parse per person). */
    parserWorkers: number;
    /** HANDOFF_COLLAB_*: limits of the collaboration endpoint. */
    collab: CollabLimits;
    /** HANDOFF_PARSER_TIMEOUT_MS: each parse's time budget, counted while it runs. */
    parserTimeoutMs: number;
    /**
     * HANDOFF_DOC_WRITE_CONCURRENCY / _QUEUE_PER_USER / _QUEUE: REST document body writes computing
     * at once (default 1, so live collaboration waits behind at most one), and how many may wait per
     * person (32; more answer 429) and in all (128; more answer 503). See domain/write-admission.ts.
     */
    docWrites: { concurrency: number; queuePerUser: number; queueTotal: number };
    /**
     * HANDOFF_COMMENT_WRITES_PER_MINUTE / HANDOFF_COMMENT_WRITE_QUEUE_PER_USER / HANDOFF_COMMENT_WRITE_QUEUE:
     * comment writes (start a thread, reply, edit) one person may make per minute (60, a burst of
     * that many; more answer 429), and how many may wait per person (8; 429) and in all (256; 503).
     * See domain/comment-admission.ts.
     */
    commentWrites: CommentWriteLimits;
  };
  /** Set: search runs on this Meilisearch server; unset: the embedded SQLite FTS5 engine. */
  meilisearch: { url: string; apiKey: string | undefined; index: string } | null;
  /** Set (a base URL or an API key): briefs are written by an LLM through this OpenAI-compatible endpoint. */
  llm: { baseUrl: string | undefined; apiKey: string | undefined; model: string | undefined } | null;
  /** Delivery of the brief by e-mail and webhook (issue 11). */
  delivery: DeliveryConfig;
  /** Where the bytes of attachments live: an S3-compatible bucket when S3_BUCKET is set, else a folder (see parseBlobStoreConfig). */
  blobs: BlobStoreConfig;
}

export interface DeliveryConfig {
  /** SMTP_URL (`smtp://user:pass@host:587`, `smtps://…:465`); null: e-mail delivery is off (settings are still saved). */
  smtpUrl: string | null;
  /** HANDOFF_MAIL_FROM: the From header of brief e-mails. */
  mailFrom: string;
  /** HANDOFF_WEBHOOK_ALLOW_PRIVATE=1: webhooks may go to http: and private or loopback addresses (never to cloud metadata). */
  webhookAllowPrivate: boolean;
  /** HANDOFF_WEBHOOK_TIMEOUT_MS: the deadline of one webhook attempt (connect, answer, body); 10 s. */
  webhookTimeoutMs: number;
}

export interface HttpLimits {
  /** A client must send its request headers within this time (slowloris). */
  headersTimeoutMs: number;
  /** A client must send its whole request (headers and body) within this time. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this time. */
  keepAliveTimeoutMs: number;
  /** A keep-alive connection is closed after this many requests (0: no limit). */
  maxRequestsPerSocket: number;
  /** Open connections (HTTP and WebSocket) in total; more are refused. */
  maxConnections: number;
  /** Open connections from one address (trusted proxies are exempt); more are refused. */
  maxConnectionsPerIp: number;
  /** How often Node checks the headers and request timeouts. */
  checkIntervalMs: number;
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
    trustedProxy: parseTrustedProxy(env.HANDOFF_TRUSTED_PROXY),
    frameAncestors: parseFrameAncestors(env.HANDOFF_FRAME_ANCESTORS),
    http: {
      headersTimeoutMs: positiveInt(env, 'HANDOFF_HEADERS_TIMEOUT_MS', 15_000),
      requestTimeoutMs: positiveInt(env, 'HANDOFF_REQUEST_TIMEOUT_MS', 120_000),
      keepAliveTimeoutMs: positiveInt(env, 'HANDOFF_KEEP_ALIVE_TIMEOUT_MS', 5_000),
      maxRequestsPerSocket: positiveInt(env, 'HANDOFF_MAX_REQUESTS_PER_SOCKET', 10_000, true),
      maxConnections: positiveInt(env, 'HANDOFF_MAX_CONNECTIONS', 2_000),
      maxConnectionsPerIp: positiveInt(env, 'HANDOFF_MAX_CONNECTIONS_PER_IP', 200),
      checkIntervalMs: positiveInt(env, 'HANDOFF_HTTP_CHECK_INTERVAL_MS', 1_000),
    },
    signup: parseSignupMode(env.HANDOFF_SIGNUP),
    authLimits: DEFAULT_AUTH_LIMITS,
    session: { idleMs: 7 * DAY, absoluteMs: 30 * DAY },
    meilisearch: env.MEILISEARCH_URL
      ? { url: env.MEILISEARCH_URL, apiKey: env.MEILISEARCH_API_KEY || undefined, index: env.MEILISEARCH_INDEX || 'handoff_docs' }
      : null,
    llm:
      env.OPENAI_BASE_URL || env.OPENAI_API_KEY
        ? { baseUrl: env.OPENAI_BASE_URL || undefined, apiKey: env.OPENAI_API_KEY || undefined, model: env.HANDOFF_LLM_MODEL || undefined }
        : null,
    blobs: parseBlobStoreConfig(env),
    delivery: {
      smtpUrl: parseSmtpUrl(env.SMTP_URL),
      mailFrom: env.HANDOFF_MAIL_FROM || 'Handoff <handoff@localhost>',
      webhookAllowPrivate: env.HANDOFF_WEBHOOK_ALLOW_PRIVATE === '1',
      webhookTimeoutMs: positiveInt(env, 'HANDOFF_WEBHOOK_TIMEOUT_MS', 10_000),
    },
    limits: {
      bodyBytes: 2 * 1024 * 1024,
      importBytes: 20 * 1024 * 1024,
      importEntries: 2000,
      importUncompressedBytes: positiveInt(env, 'HANDOFF_IMPORT_MAX_BYTES', 100 * 1024 * 1024),
      importUserBytes: positiveInt(env, 'HANDOFF_IMPORT_USER_BYTES', 100 * 1024 * 1024),
      parserWorkers: positiveInt(env, 'HANDOFF_PARSER_WORKERS', 2),
      parserTimeoutMs: positiveInt(env, 'HANDOFF_PARSER_TIMEOUT_MS', 10_000),
      docWrites: {
        concurrency: positiveInt(env, 'HANDOFF_DOC_WRITE_CONCURRENCY', 1),
        queuePerUser: positiveInt(env, 'HANDOFF_DOC_WRITE_QUEUE_PER_USER', 32),
        queueTotal: positiveInt(env, 'HANDOFF_DOC_WRITE_QUEUE', 128),
      },
      commentWrites: {
        perUserPerMinute: positiveInt(env, 'HANDOFF_COMMENT_WRITES_PER_MINUTE', 60),
        queuePerUser: positiveInt(env, 'HANDOFF_COMMENT_WRITE_QUEUE_PER_USER', 8),
        queueTotal: positiveInt(env, 'HANDOFF_COMMENT_WRITE_QUEUE', 256),
      },
      collab: {
        authTimeoutMs: positiveInt(env, 'HANDOFF_COLLAB_AUTH_TIMEOUT_MS', 10_000),
        maxConnections: positiveInt(env, 'HANDOFF_COLLAB_MAX_CONNECTIONS', 1_000),
        maxConnectionsPerIp: positiveInt(env, 'HANDOFF_COLLAB_MAX_CONNECTIONS_PER_IP', 50),
        maxDocumentsPerConnection: positiveInt(env, 'HANDOFF_COLLAB_MAX_DOCS_PER_CONNECTION', 16),
        maxPreAuthBytes: positiveInt(env, 'HANDOFF_COLLAB_MAX_PREAUTH_BYTES', 64 * 1024),
        maxInFlightBytes: positiveInt(env, 'HANDOFF_COLLAB_MAX_INFLIGHT_BYTES', 8 * 1024 * 1024),
        maxInFlightTotalBytes: positiveInt(env, 'HANDOFF_COLLAB_MAX_INFLIGHT_TOTAL_BYTES', 256 * 1024 * 1024),
      },
    },
  };
}

/** Limits of the collaboration endpoint (collab/collab-server.ts); each HANDOFF_COLLAB_* variable. */
export interface CollabLimits {
  /** A socket with no authenticated document after this long is closed (4408). */
  authTimeoutMs: number;
  /** Open collaboration sockets in total / from one address (trusted proxies: the forwarded client); more are refused (HTTP 503 / 429). */
  maxConnections: number;
  maxConnectionsPerIp: number;
  /** Documents one socket may open (or try to). */
  maxDocumentsPerConnection: number;
  /** Bytes held for a socket before any of its documents authenticated (also at most 16 messages); more closes it (4429). */
  maxPreAuthBytes: number;
  /** Bytes received but not yet stored and forwarded, per socket and in total; above, the socket is not read until they drain. */
  maxInFlightBytes: number;
  maxInFlightTotalBytes: number;
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

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number, zeroAllowed = false): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < (zeroAllowed ? 0 : 1)) {
    throw new Error(`${name} must be a whole number${zeroAllowed ? '' : ' above 0'} (got ${JSON.stringify(raw)}).`);
  }
  return n;
}

/** `loopback`, an IP or a CIDR, comma- or space-separated; a typo fails at start rather than trusting nobody silently. */
export function parseTrustedProxy(raw: string | undefined): string[] {
  const entries = (raw ?? '').split(/[\s,]+/).filter(Boolean);
  for (const entry of entries) {
    if (entry === 'loopback') continue;
    const [ip, bits, extra] = entry.split('/');
    const family = isIP(ip ?? '');
    const max = family === 6 ? 128 : 32;
    const ok = family !== 0 && extra === undefined && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max));
    if (!ok) throw new Error(`HANDOFF_TRUSTED_PROXY: "${entry}" is not an IP address, a CIDR (10.0.0.0/8) or "loopback".`);
  }
  return entries;
}

/** CSP sources allowed to frame the app: `'self'` or origins such as https://intranet.example.com. */
export function parseFrameAncestors(raw: string | undefined): string[] {
  const entries = (raw ?? '').split(/[\s,]+/).filter(Boolean).map((e) => (e === 'self' ? "'self'" : e));
  if (entries.length === 0 || (entries.length === 1 && (entries[0] === 'none' || entries[0] === "'none'"))) return ["'none'"];
  for (const entry of entries) {
    if (entry !== "'self'" && !/^(https?:\/\/)?(\*\.)?[a-z0-9.-]+(:(\d{1,5}|\*))?$/i.test(entry)) {
      throw new Error(`HANDOFF_FRAME_ANCESTORS: "${entry}" is not an origin (https://host[:port]) or 'self'.`);
    }
  }
  return entries;
}

/** SMTP_URL: unset or empty (e-mail delivery off), or an smtp:/smtps: URL; anything else fails at start. */
export function parseSmtpUrl(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  let protocol: string;
  try {
    protocol = new URL(raw).protocol;
  } catch {
    throw new Error('SMTP_URL must be a URL such as smtp://user:pass@mail.example.com:587.');
  }
  if (protocol !== 'smtp:' && protocol !== 'smtps:') throw new Error(`SMTP_URL must start with smtp:// or smtps:// (got ${protocol}).`);
  return raw;
}

/** HANDOFF_SIGNUP: `invite` (default), `open` or `closed`; anything else fails at start. */
export function parseSignupMode(raw: string | undefined): SignupMode {
  if (raw === undefined || raw === '') return 'invite';
  if (raw === 'open' || raw === 'invite' || raw === 'closed') return raw;
  throw new Error(`HANDOFF_SIGNUP must be "invite", "open" or "closed" (got ${JSON.stringify(raw)}).`);
}

export type BlobStoreConfig =
  | { kind: 'disk'; dir: string }
  | {
      kind: 's3';
      bucket: string;
      /** Unset: AWS S3 itself (in `region`). */
      endpoint: string | undefined;
      region: string;
      /** Unset (both): the AWS SDK's default credentials (AWS_* variables, profile, instance role). */
      credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
      forcePathStyle: boolean;
    };

/**
 * S3_BUCKET set: objects in that bucket (S3_ENDPOINT for S3-compatible servers such as MinIO or R2,
 * S3_REGION `us-east-1`, S3_ACCESS_KEY_ID + S3_SECRET_ACCESS_KEY, S3_FORCE_PATH_STYLE `1` by default
 * with an endpoint). Otherwise files under HANDOFF_FILES_DIR (relative to where the command was
 * typed), by default `files/` beside a `file:` database, else ./data/files at the root.
 */
export function parseBlobStoreConfig(env: NodeJS.ProcessEnv): BlobStoreConfig {
  const endpoint = env.S3_ENDPOINT || undefined;
  if (!env.S3_BUCKET) {
    if (endpoint) throw new Error('S3_ENDPOINT is set but S3_BUCKET is not: set the bucket too (or unset both to keep files on disk).');
    const dir = env.HANDOFF_FILES_DIR;
    if (dir) return { kind: 'disk', dir: resolve(env.INIT_CWD ?? process.cwd(), dir) };
    const database = resolveDatabaseUrl(env.DATABASE_URL, env.INIT_CWD);
    const beside = database.startsWith('file:') && !database.includes(':memory:');
    return { kind: 'disk', dir: beside ? resolve(dirname(database.slice('file:'.length)), 'files') : resolve(repoRoot, 'data/files') };
  }
  if (endpoint && !/^https?:\/\/[^/]/.test(endpoint)) throw new Error(`S3_ENDPOINT must be an http(s) URL (got ${JSON.stringify(endpoint)}).`);
  const accessKeyId = env.S3_ACCESS_KEY_ID || undefined;
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY || undefined;
  if (!accessKeyId !== !secretAccessKey) throw new Error('Set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither (the AWS SDK then finds credentials itself).');
  const pathStyle = env.S3_FORCE_PATH_STYLE;
  if (pathStyle && pathStyle !== '0' && pathStyle !== '1') throw new Error(`S3_FORCE_PATH_STYLE must be 0 or 1 (got ${JSON.stringify(pathStyle)}).`);
  return {
    kind: 's3',
    bucket: env.S3_BUCKET,
    endpoint,
    region: env.S3_REGION || 'us-east-1',
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    forcePathStyle: pathStyle ? pathStyle === '1' : endpoint !== undefined,
  };
}
