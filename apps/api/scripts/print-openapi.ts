// Prints the HTTP contract's OpenAPI document (the one `GET /api/openapi.json` serves) to stdout,
// without a database or a server: the routes register their zod schemas when the app is built,
// and nothing a request would need is touched. The web app generates its client from this.
//
//   node --import tsx apps/api/scripts/print-openapi.ts > openapi.json

import { createApp, openApiDocumentConfig } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { Deps } from '../src/context.ts';

// createApp reads only the configuration while wiring (body limits, security headers); the other
// dependencies are used by requests, and this script makes none.
const deps = { config: loadConfig({ HANDOFF_LOG_LEVEL: 'silent' }) } as unknown as Deps;
const document = createApp(deps).getOpenAPI31Document(openApiDocumentConfig);
process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
