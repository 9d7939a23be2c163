// Dependency rules (issue 9, item 2): dependencies point one way, and nothing imports in a circle.
//
//   routes, collab, jobs, cli  →  commands  →  policies, domain (model, events, ports)  →  @handoff/db
//   adapters implement the ports; only server.ts (the wiring), index.ts and testing.ts import them.
//
// `npm run check:deps` (and `npm test`, through turbo's //#check:deps task) runs
//   depcruise apps/api/src apps/web/src packages/db/src packages/shared/src
// and then knip (declared dependencies). The rules were introduced during the issue 9 restructure
// with a known-violations baseline; that baseline has shrunk to empty and is gone: every violation
// fails the check. Fix a violation; do not bring back a baseline or loosen a rule to accept one.
const API = '^apps/api/src/';
const layer = (name) => `${API}${name}/`;
// Test files and the test wiring may reach across layers to set things up.
const TESTS = ['\\.test\\.[cm]?[jt]sx?$', '/testing/', `${API}testing\\.ts$`];

/** One rule: files under `from` must not import any of `to` (folders under apps/api/src or files). */
function layerRule(name, fromFolder, targets, comment) {
  return {
    name,
    severity: 'error',
    comment,
    from: { path: layer(fromFolder), pathNot: TESTS },
    to: { path: targets },
  };
}
const folders = (...names) => names.map((n) => (n.endsWith('.ts') ? `${API}${n.replace('.', '\\.')}$` : layer(n)));
const DB = ['^packages/db/', '(^|/)node_modules/@handoff/db/', '(^|/)node_modules/drizzle-orm/', '^drizzle-orm'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle (including type-only ones): split the shared part into a module both sides import.',
      from: {},
      to: { circular: true },
    },
    layerRule(
      'routes-one-way',
      'routes',
      [...DB, ...folders('collab', 'jobs', 'cli', 'adapters')],
      'Routes parse, authorize (policies), call one command and present. No database, no collab/jobs/cli, no adapters.',
    ),
    layerRule(
      'domain-one-way',
      'domain',
      folders('routes', 'commands', 'policies', 'collab', 'jobs', 'middleware', 'adapters', 'cli', 'app.ts', 'server.ts', 'context.ts'),
      'The domain model knows nothing of HTTP, use cases, collaboration, jobs or concrete adapters.',
    ),
    layerRule(
      'commands-one-way',
      'commands',
      folders('routes', 'collab', 'jobs', 'middleware', 'cli', 'adapters', 'app.ts', 'server.ts'),
      'Commands use the domain, policies and ports; they are called by routes/collab/jobs/cli, never the reverse.',
    ),
    layerRule(
      'policies-one-way',
      'policies',
      folders('commands', 'routes', 'collab', 'jobs'),
      'Policies decide who may do what; they are used by routes, collab and jobs alike and use none of them.',
    ),
    layerRule(
      'adapters-one-way',
      'adapters',
      folders('routes', 'commands', 'collab', 'jobs', 'middleware', 'cli'),
      'Adapters implement ports (domain/ports.ts); they do not call into the application.',
    ),
    layerRule(
      'collab-one-way',
      'collab',
      folders('routes', 'jobs', 'middleware', 'cli'),
      'Live collaboration calls commands and policies; it does not reach into routes, jobs, middleware or the CLI.',
    ),
    layerRule(
      'jobs-one-way',
      'jobs',
      folders('routes', 'collab', 'middleware', 'cli'),
      'Jobs consume events and call commands; they follow events instead of calling collaboration directly.',
    ),
    layerRule('cli-one-way', 'cli', folders('routes'), 'The CLI calls commands, not route modules.'),
    {
      name: 'adapters-only-from-wiring',
      severity: 'error',
      comment: 'Concrete adapters are constructed only in server.ts (plus index.ts and testing.ts); everything else gets ports.',
      from: {
        path: API,
        pathNot: [`${API}(server|index|testing)\\.ts$`, layer('adapters'), ...TESTS],
      },
      to: { path: layer('adapters') },
    },
    {
      name: 'web-not-to-api',
      severity: 'error',
      comment: 'The web app talks to the API over HTTP through the generated client; it does not import server code.',
      from: { path: '^apps/web/src/' },
      to: { path: ['^apps/api/', '(^|/)node_modules/@handoff/api/'] },
    },
    {
      name: 'packages-not-to-apps',
      severity: 'error',
      comment: 'packages/* are libraries used by the apps; they must not import an app.',
      from: { path: '^packages/' },
      to: { path: ['^apps/', '(^|/)node_modules/@handoff/(api|web)/'] },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    exclude: { path: ['(^|/)dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
