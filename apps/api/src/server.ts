import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { openDatabase } from '@handoff/db';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import type { Deps } from './context.ts';
import { createDocEngine } from './domain/doc-engine.ts';
import { WriteAdmission } from './domain/write-admission.ts';
import { MarkdownParser, parserOptionsFrom } from './domain/markdown-parser.ts';
import { createAuthLimiter } from './domain/login-limiter.ts';
import { ReadCache } from './domain/read-cache.ts';
import { EventBus } from './domain/event-bus.ts';
import { createCollabServer, type CollabOptions, type CollabServer } from './collab/collab-server.ts';
import { createCompactor } from './jobs/compaction.ts';
import { createLiveRevisions, recoverLiveRevisions, type LiveRevisions, type LiveRevisionTimings } from './jobs/live-revisions.ts';
import { SqliteSearchIndex } from './adapters/search/sqlite-search-index.ts';
import { MeilisearchSearchIndex } from './adapters/search/meilisearch-search-index.ts';
import { createBlobStore } from './adapters/blobs/index.ts';
import { createSearchIndexer } from './jobs/search-indexer.ts';
import { createOutboxPruner } from './jobs/outbox-pruner.ts';
import { startDocLinksBackfill } from './jobs/doc-links-backfill.ts';
import { createBriefScheduler } from './jobs/brief-scheduler.ts';
import { ExtractiveBriefWriter } from './adapters/brief/extractive-brief-writer.ts';
import OpenAI from 'openai';
import { DEFAULT_LLM_MODEL, OpenAiBriefWriter } from './adapters/llm/openai-brief-writer.ts';
import { MemorySummaryCache } from './adapters/llm/summary-cache.ts';
import { createBrief } from './commands/create-brief.ts';
import { renderBriefHtml } from './adapters/brief/brief-html.ts';
import { createSmtpMailer } from './adapters/delivery/email-sender.ts';
import { createWebhookSender } from './adapters/delivery/webhook-sender.ts';
import { chatPayload } from './adapters/delivery/chat-payload.ts';
import { checkWebhookUrl } from './adapters/delivery/ssrf-guard.ts';
import { publicBaseOf } from './commands/deliver-brief.ts';
import { createBriefDelivery } from './jobs/brief-delivery.ts';
import type { BriefWriter, SearchIndex } from './domain/ports.ts';
import { systemClock, type Clock } from './domain/ports.ts';
import { createLogger, type Logger } from './logger.ts';
import { httpServerOptions, limitConnections } from './http-limits.ts';

export const webDist = resolve(dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** Builds every dependency from configuration: the one place adapters are chosen. */
export async function createDeps(config: Config, overrides: { log?: Logger; clock?: Clock } = {}): Promise<Deps> {
  const log = overrides.log ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const database = await openDatabase(config.databaseUrl, config.databaseAuthToken);
  const events = new EventBus((err, event) => log.error({ msg: 'an event listener failed', topic: event.topic, err }));
  const cache = new ReadCache(clock);
  events.subscribe((event) => cache.forgetOn(event));
  // The one place an adapter is chosen by configuration.
  const search: SearchIndex = config.meilisearch
    ? new MeilisearchSearchIndex({ host: config.meilisearch.url, apiKey: config.meilisearch.apiKey, indexUid: config.meilisearch.index })
    : new SqliteSearchIndex(database.client);
  // Briefs: the extractive writer unless another is chosen here (the LLM writer, by configuration).
  const extractiveWriter = new ExtractiveBriefWriter();
  const briefWriter: BriefWriter = config.llm
    ? new OpenAiBriefWriter({
        client: new OpenAI({ baseURL: config.llm.baseUrl, apiKey: config.llm.apiKey ?? 'none' }),
        model: config.llm.model ?? DEFAULT_LLM_MODEL,
        fallback: extractiveWriter,
        publicUrl: config.publicUrl,
        cache: new MemorySummaryCache(),
        log,
      })
    : extractiveWriter;
  const deps: Deps = {
    database,
    cache,
    events,
    search,
    blobs: createBlobStore(config.blobs),
    searchIndexer: createSearchIndexer({ db: database.db, index: search, log, clock }),
    outboxPruner: createOutboxPruner({ db: database.db, log, clock }),
    db: database.db,
    config,
    log,
    clock,
    authLimiter: createAuthLimiter(database.db, clock, config.authLimits),
    docs: createDocEngine({
      db: database.db,
      clock,
      events,
      markdown: new MarkdownParser(parserOptionsFrom(config.limits)),
      admission: new WriteAdmission(config.limits.docWrites),
    }),
    briefWriter,
    extractiveBriefWriter: extractiveWriter,
    renderBriefPage: renderBriefHtml,
    briefScheduler: createBriefScheduler({
      db: database.db,
      clock,
      log,
      build: async (reader, scheduledFor, window) =>
        (await createBrief(deps, reader, { scheduledFor, window })) !== null,
    }),
    // Deliveries by e-mail (only with SMTP_URL) and webhook (SSRF-guarded on every attempt).
    briefDelivery: createBriefDelivery({
      log,
      ctx: {
        db: database.db,
        clock,
        events,
        extractiveBriefWriter: extractiveWriter,
        renderBriefPage: renderBriefHtml,
        publicBase: publicBaseOf(config),
        transports: {
          email: config.delivery.smtpUrl ? createSmtpMailer({ smtpUrl: config.delivery.smtpUrl, from: config.delivery.mailFrom }) : null,
          webhook: createWebhookSender({ allowPrivate: config.delivery.webhookAllowPrivate, timeoutMs: config.delivery.webhookTimeoutMs }),
          chatPayload,
        },
      },
    }),
    checkWebhookUrl: async (url) => {
      const check = await checkWebhookUrl(url, { allowPrivate: config.delivery.webhookAllowPrivate });
      return check.ok ? { ok: true } : { ok: false, reason: check.reason };
    },
  };
  return deps;
}

/** The API plus the built web app (and its index.html for every client-side route). */
export function createServerApp(deps: Deps) {
  const app = createApp(deps);
  if (existsSync(webDist)) {
    app.use('/assets/*', serveStatic({ root: webDist }));
    app.use('/favicon.svg', serveStatic({ root: webDist }));
    let indexHtml: string | null = null;
    app.get('*', async (c, next) => {
      if (c.req.path.startsWith('/api/')) return next();
      indexHtml ??= await readFile(resolve(webDist, 'index.html'), 'utf8');
      return c.html(indexHtml);
    });
  }
  return app;
}

export { COLLAB_PATH, CloseCode, type CollabOptions, type CollabServer } from './collab/collab-server.ts';

export interface RunningServer {
  server: HttpServer;
  port: number;
  collab: CollabServer;
  /** Turns live edits into revisions (idle / at most every so often / when the last editor leaves). */
  liveRevisions: LiveRevisions;
  /** Resolves when the start-up recovery of live edits (revisions a crash kept from being written) is done. */
  recovered: Promise<number>;
  /** Closes collaboration sockets (writing pending live revisions), the jobs, then the HTTP server. */
  close(): Promise<void>;
}

/**
 * Serves `app` and the collaboration WebSocket (`GET /api/collab`) on one port and starts the
 * background jobs (log compaction; revisions of live edits that a crash left pending).
 */
export async function startHttpServer(
  deps: Deps,
  app: { fetch: Parameters<typeof serve>[0]['fetch'] },
  options: { port: number; host: string; collab?: CollabOptions; revisions?: Partial<LiveRevisionTimings> },
): Promise<RunningServer> {
  // Live edits become revisions (jobs/), told by collaboration through its LiveEdits port.
  const liveRevisions = createLiveRevisions({ snapshot: (docId) => deps.docs.snapshot(docId), log: deps.log, clock: deps.clock, timings: options.revisions });
  const collab = createCollabServer(deps, liveRevisions, options.collab);
  // Every committed revision (PATCH, restore, live snapshot) lets the compactor fold its log.
  const compactor = createCompactor({ docs: deps.docs, log: deps.log });
  const stopCompacting = deps.events.subscribe((event) => {
    if (event.topic === 'doc.revised') compactor.schedule(event.docId);
  });
  const server = await new Promise<HttpServer>((resolve) => {
    const s = serve(
      { fetch: app.fetch, port: options.port, hostname: options.host, serverOptions: httpServerOptions(deps.config.http) },
      () => resolve(s as HttpServer),
    ) as HttpServer;
  });
  limitConnections(server, deps.config.http, deps.config, deps.log, deps.clock);
  server.on('upgrade', (request, socket, head: Buffer) => {
    if (!collab.handleUpgrade(request, socket, head)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
  });
  const recovered = recoverLiveRevisions(deps.db, (docId) => deps.docs.snapshot(docId), deps.log).catch((err: unknown) => {
    deps.log.error({ msg: 'recovering live revisions failed', err });
    return 0;
  });
  // The doc-link graph of documents written before it existed (once; bounded batches).
  const linksBackfill = startDocLinksBackfill({ db: deps.db, clock: deps.clock, log: deps.log });
  let closed: Promise<void> | undefined;
  return {
    server,
    port: (server.address() as AddressInfo).port,
    collab,
    liveRevisions,
    recovered,
    close: () =>
      (closed ??= (async () => {
        await collab.closeAll();
        await liveRevisions.stop();
        await recovered;
        stopCompacting();
        await linksBackfill.stop();
        await compactor.stop();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })()),
  };
}
