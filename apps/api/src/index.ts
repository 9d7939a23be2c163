import { loadConfig } from './config.ts';
import { createDeps, createServerApp, startHttpServer, webDist } from './server.ts';
import { seedDemoWorkspace } from './commands/seed-demo.ts';
import { existsSync } from 'node:fs';

/** `npm start`: env → dependencies → app → one HTTP port for the API and the web app. */
const config = loadConfig();
const deps = await createDeps(config);
const app = createServerApp(deps);
deps.searchIndexer.start();
deps.outboxPruner.start();
deps.briefScheduler.start();
deps.briefDelivery.start();

if (config.demo) {
  const seeded = await seedDemoWorkspace(deps);
  if (seeded) {
    console.log('\nDemo workspace created. Log in as any of these (password for all: %s):', seeded.password);
    for (const p of seeded.people) console.log(`  ${p.email.padEnd(28)} ${p.name} (${p.city})`);
  }
}
if (!existsSync(webDist)) deps.log.warn({ msg: 'web app not built; serving the API only', webDist });

const running = await startHttpServer(deps, app, { port: config.port, host: config.host });
console.log(`\nHandoff is running at http://localhost:${running.port}  (database: ${config.databaseUrl})\n`);

function shutdown(signal: string) {
  deps.log.info({ msg: 'shutting down', signal });
  void deps.searchIndexer.stop();
  void deps.outboxPruner.stop();
  void deps.briefScheduler.stop();
  void deps.briefDelivery.stop();
  // Collaboration sockets close first (writing the revisions of pending live edits), then HTTP.
  void running.close().then(() => {
    deps.database.close();
    process.exit(0);
  });
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
