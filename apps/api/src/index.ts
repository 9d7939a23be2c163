import { serve } from '@hono/node-server';
import { loadConfig } from './config.ts';
import { createDeps, createServerApp, webDist } from './server.ts';
import { seedDemoWorkspace } from './domain/seed-demo.ts';
import { existsSync } from 'node:fs';

/** `npm start`: env → dependencies → app → one HTTP port for the API and the web app. */
const config = loadConfig();
const deps = await createDeps(config);
const app = createServerApp(deps);

if (config.demo) {
  const seeded = await seedDemoWorkspace(deps);
  if (seeded) {
    console.log('\nDemo workspace created. Log in as any of these (password for all: %s):', seeded.password);
    for (const p of seeded.people) console.log(`  ${p.email.padEnd(28)} ${p.name} (${p.city})`);
  }
}
if (!existsSync(webDist)) deps.log.warn({ msg: 'web app not built; serving the API only', webDist });

const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  console.log(`\nHandoff is running at http://localhost:${info.port}  (database: ${config.databaseUrl})\n`);
});

function shutdown(signal: string) {
  deps.log.info({ msg: 'shutting down', signal });
  server.close(() => {
    deps.database.close();
    process.exit(0);
  });
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
