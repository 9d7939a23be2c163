// Generates the web app's API types from the HTTP contract, or checks that the committed ones are
// current. The contract is the OpenAPI document the API builds from its zod schemas
// (apps/api/scripts/print-openapi.ts prints it without a server); openapi-typescript turns it
// into src/api/schema.gen.ts, which openapi-fetch (src/api/client.ts) is typed with.
//
//   node scripts/api-client.mjs gen     regenerate src/api/schema.gen.ts
//   node scripts/api-client.mjs check   fail if src/api/schema.gen.ts differs from a fresh generation

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(webDir, '../..');
const committed = join(webDir, 'src/api/schema.gen.ts');
const mode = process.argv[2];
if (mode !== 'gen' && mode !== 'check') {
  console.error('usage: node scripts/api-client.mjs gen|check');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'handoff-api-client-'));
try {
  const documentPath = join(work, 'openapi.json');
  const generatedPath = join(work, 'schema.gen.ts');
  const document = execFileSync(process.execPath, ['--import', 'tsx', 'apps/api/scripts/print-openapi.ts'], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  writeFileSync(documentPath, document);
  execFileSync(process.execPath, [join(resolveBin('openapi-typescript')), documentPath, '--output', generatedPath], {
    cwd: webDir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const fresh = readFileSync(generatedPath, 'utf8');

  if (mode === 'gen') {
    writeFileSync(committed, fresh);
    console.log('wrote src/api/schema.gen.ts');
  } else {
    let current = '';
    try {
      current = readFileSync(committed, 'utf8');
    } catch {
      // missing: reported below as out of date
    }
    if (current !== fresh) {
      console.error(
        'src/api/schema.gen.ts is out of date with the API contract (apps/api zod schemas).\n' +
          'Run `npm run gen:api -w @handoff/web` and commit the result.',
      );
      process.exit(1);
    }
    console.log('src/api/schema.gen.ts matches the API contract');
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** The CLI entry of an installed package (hoisted to the root node_modules by npm workspaces). */
function resolveBin(pkg) {
  for (const base of [webDir, repoRoot]) {
    try {
      const manifest = JSON.parse(readFileSync(join(base, 'node_modules', pkg, 'package.json'), 'utf8'));
      const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[pkg];
      return join(base, 'node_modules', pkg, bin);
    } catch {
      // not installed here: try the next folder up
    }
  }
  throw new Error(`${pkg} is not installed (npm install)`);
}
