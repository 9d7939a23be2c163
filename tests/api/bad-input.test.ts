import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type Call, type Person } from './client.ts';

/*
 * Hostile and malformed input against every endpoint the app declares in its OpenAPI document.
 * Whatever is sent, the answer must be the contract's error shape `{error: {code, message}}` with a
 * 4xx status — never a 500 — and nothing saved before may be harmed.
 */

type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  maxLength?: number;
  pattern?: string;
};
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: JsonSchema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
}
interface Op {
  method: string;
  path: string;
  key: string;
  op: Operation;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Endpoints that must be in the spec (new ones are picked up from the spec automatically). */
const KNOWN = [
  'GET /api/health',
  'POST /api/auth/signup',
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'GET /api/me',
  'PATCH /api/me',
  'POST /api/me/password',
  'GET /api/users',
  'GET /api/tokens',
  'POST /api/tokens',
  'DELETE /api/tokens/{id}',
  'POST /api/invites',
  'GET /api/invites',
  'DELETE /api/invites/{id}',
  'GET /api/spaces',
  'POST /api/spaces',
  'GET /api/spaces/{id}',
  'PATCH /api/spaces/{id}',
  'GET /api/spaces/{id}/members',
  'PUT /api/spaces/{id}/members/{userId}',
  'DELETE /api/spaces/{id}/members/{userId}',
  'PUT /api/spaces/{id}/watch',
  'DELETE /api/spaces/{id}/watch',
  'GET /api/docs',
  'POST /api/docs',
  'GET /api/docs/{id}',
  'PATCH /api/docs/{id}',
  'DELETE /api/docs/{id}',
  'POST /api/docs/{id}/restore',
  'GET /api/docs/{id}/revisions',
  'GET /api/docs/{id}/revisions/{revision}',
  'POST /api/docs/{id}/revisions/{revision}/restore',
  'GET /api/docs/{id}/diff',
  'PUT /api/docs/{id}/watch',
  'DELETE /api/docs/{id}/watch',
  'GET /api/docs/{id}/export.md',
  'POST /api/import/markdown',
  'POST /api/docs/{id}/threads',
  'GET /api/docs/{id}/threads',
  'POST /api/threads/{id}/comments',
  'PATCH /api/comments/{id}',
  'DELETE /api/comments/{id}',
  'POST /api/threads/{id}/resolve',
  'POST /api/threads/{id}/reopen',
  'GET /api/me/waiting',
  'GET /api/me/delivery',
  'POST /api/me/delivery/notices/{id}/dismiss',
  'POST /api/me/delivery/webhook-secret',
  'GET /api/unsubscribe/{id}',
  'POST /api/unsubscribe/{id}',
  'GET /api/handoffs',
  'GET /api/me/handoff-draft',
  'POST /api/docs/{id}/handoff-asks/done',
];

/** Reachable without logging in. */
const PUBLIC = new Set(['GET /api/health', 'POST /api/auth/signup', 'POST /api/auth/login', 'GET /api/unsubscribe/{id}', 'POST /api/unsubscribe/{id}']);

let api: ApiClient;
let ada: Person; // workspace admin (first user): never 403, so 404s are really "not found"
let bob: Person;
let space: string;
let keeper: { id: string; revision: number; markdown: string; title: string };
let tokenId: string;
let ops: Op[];
let spec: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, JsonSchema> } };
let docsAtStart: number;
let createdOnPurpose = 0;
const KEEPER_MARKDOWN = 'Keep **this** safe.\n\n- one\n- two\n';

/** A valid body for each JSON-body operation (so that only the part under test is wrong). */
function validBody(key: string): unknown {
  const bodies: Record<string, unknown> = {
    'POST /api/auth/signup': { email: 'valid@example.com', name: 'Valid', handle: 'valid', password: 'a long enough password', timezone: 'UTC' },
    'POST /api/auth/login': { email: 'nobody@example.com', password: 'whatever password' },
    'PATCH /api/me': { name: 'Ada' },
    'POST /api/me/password': { currentPassword: 'wrong current password', newPassword: 'another long password' },
    'POST /api/tokens': { name: 'CI' },
    'POST /api/invites': { role: 'member' },
    'POST /api/briefs': { since: '2026-01-01T00:00:00.000Z' },
    'POST /api/spaces': { name: 'Valid space' },
    'PATCH /api/spaces/{id}': { name: 'Renamed' },
    'PUT /api/spaces/{id}/members/{userId}': { role: 'viewer' },
    'POST /api/docs': { spaceId: space, title: 'Valid title', markdown: 'Valid body.' },
    'PATCH /api/docs/{id}': { title: 'Valid title' },
    'POST /api/docs/{id}/threads': { markdown: 'A valid question?', anchor: { quote: 'Keeper' } },
    'POST /api/threads/{id}/comments': { markdown: 'A valid reply.' },
    'PATCH /api/comments/{id}': { markdown: 'A valid edit.' },
    'POST /api/docs/{id}/handoff-asks/done': { section: 'blocked', text: 'Nothing was asked' },
  };
  return bodies[key];
}

/** Valid values for required query parameters. */
function validQuery(key: string): Record<string, string> {
  const queries: Record<string, Record<string, string>> = {
    'GET /api/docs/{id}/diff': { from: '1', to: '1' },
    'POST /api/import/markdown': { spaceId: space },
  };
  return queries[key] ?? {};
}

const hasJsonBody = (o: Op) => Boolean(o.op.requestBody?.content['application/json']);

function resolve(schema: JsonSchema): JsonSchema {
  let s = schema;
  while (s.$ref) s = spec.components.schemas[s.$ref.replace('#/components/schemas/', '')]!;
  return s;
}

function typesOf(schema: JsonSchema): string[] {
  const s = resolve(schema);
  if (s.type) return Array.isArray(s.type) ? s.type : [s.type];
  if (s.properties) return ['object'];
  return [];
}

/** Values of the wrong JSON type for a schema (never one it accepts). */
function wrongValues(schema: JsonSchema): unknown[] {
  const types = typesOf(schema);
  const s = resolve(schema);
  const out: unknown[] = [];
  if (!types.includes('null')) out.push(null);
  if (!types.includes('string')) out.push('a string');
  if (!types.includes('number') && !types.includes('integer')) out.push(12345);
  if (!types.includes('boolean')) out.push(true);
  if (!types.includes('object')) out.push({ nested: 'object' });
  if (!types.includes('array')) out.push(['an', 'array']);
  if (types.includes('integer')) out.push(1.5);
  if (s.enum) out.push('definitely-not-a-member');
  return out;
}

/** The concrete path for an operation, with each `{param}` filled by `fill(name, path)`. */
function concrete(path: string, fill: (name: string) => string, query: Record<string, string> = {}) {
  const p = path.replace(/\{(\w+)\}/g, (_, name: string) => fill(name));
  const qs = new URLSearchParams(query).toString();
  return qs ? `${p}?${qs}` : p;
}

/** Real ids for the path parameters, so that only the part under test is wrong. */
function realParam(path: string) {
  return (name: string): string => {
    if (name === 'revision') return '1';
    if (name === 'userId') return bob.id;
    if (path.startsWith('/api/docs/')) return keeper.id;
    if (path.startsWith('/api/spaces/')) return space;
    if (path.startsWith('/api/tokens/')) return tokenId;
    return 'doesnotexist';
  };
}

async function send(o: Op, path: string, init: { token?: string | null; raw?: BodyInit; json?: unknown; contentType?: string } = {}): Promise<Call> {
  const headers: Record<string, string> = {};
  if (init.contentType) headers['content-type'] = init.contentType;
  const token = init.token === undefined ? ada.token : init.token;
  if (init.json !== undefined) return api.call(o.method, path, { token, json: init.json, headers });
  if (init.raw !== undefined) return api.call(o.method, path, { token, body: init.raw, headers });
  // Operations that take a body always get one (import: a tiny Markdown file).
  if (hasJsonBody(o)) return api.call(o.method, path, { token, json: validBody(o.key) ?? {} });
  if (o.op.requestBody) return api.call(o.method, path, { token, body: '# Hi', headers: { 'content-type': 'text/markdown' } });
  return api.call(o.method, path, { token, headers });
}

const responses: Array<{ label: string; res: Call }> = [];

/** The contract's error shape with a 4xx status (and the given one, when given). */
function expectError(label: string, res: Call, status?: number | number[]) {
  responses.push({ label, res });
  expect(res.status, `${label}: got ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${label}: got ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`).toBeLessThan(500);
  if (status !== undefined) {
    const allowed = Array.isArray(status) ? status : [status];
    expect(allowed, `${label}: got ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`).toContain(res.status);
  }
  expect(res.headers.get('content-type') ?? '', label).toContain('application/json');
  expect(Object.keys(res.body ?? {}), label).toEqual(['error']);
  expect(typeof res.body.error.code, label).toBe('string');
  expect(res.body.error.code, label).toMatch(/^[a-z_]+$/);
  expect(typeof res.body.error.message, label).toBe('string');
  expect(res.body.error.message.length, label).toBeGreaterThan(0);
  expect(Object.keys(res.body.error).every((k) => ['code', 'message', 'details'].includes(k)), label).toBe(true);
}

/** A 400 from validation whose `details.fields` names `field` (or a sub-field of it). */
function expectFieldError(label: string, res: Call, field: string) {
  expectError(label, res, 400);
  expect(res.body.error.code, label).toBe('validation_failed');
  const paths = (res.body.error.details?.fields ?? []).map((f: { path: string }) => f.path);
  expect(
    paths.some((p: string) => p === field || p.startsWith(`${field}.`)),
    `${label}: fields ${JSON.stringify(paths)} should name ${field || '(the whole input)'}`,
  ).toBe(true);
}

const jsonOps = () => ops.filter(hasJsonBody);

beforeAll(async () => {
  api = await ApiClient.start();
  ada = await api.signup('ada');
  bob = await api.signup('bob');
  space = await api.space(ada, 'Engineering');
  const doc = await api.doc(ada, space, 'Keeper', KEEPER_MARKDOWN);
  keeper = { id: doc.id, revision: doc.revision, markdown: doc.markdown, title: 'Keeper' };
  const token = await api.post('/api/tokens', { name: 'for deletion tests' }, ada.token);
  tokenId = token.body.apiToken.id;
  const res = await api.get('/api/openapi.json');
  expect(res.status).toBe(200);
  spec = res.body;
  ops = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (op) ops.push({ method: method.toUpperCase(), path, key: `${method.toUpperCase()} ${path}`, op });
    }
  }
  docsAtStart = Number((await api.t.deps.database.client.execute('SELECT count(*) AS n FROM documents')).rows[0]!.n);
});
afterAll(() => api.close());

describe('the endpoint list', () => {
  it('comes from the OpenAPI document and includes every known endpoint', () => {
    const keys = ops.map((o) => o.key);
    for (const known of KNOWN) expect(keys, known).toContain(known);
    expect(keys.length).toBeGreaterThanOrEqual(KNOWN.length);
  });

  it('has a valid example body for every JSON-body endpoint (add one here for a new endpoint)', () => {
    for (const o of jsonOps()) expect(validBody(o.key), o.key).toBeDefined();
  });
});

describe('every endpoint', () => {
  it('answers 401 in the error shape without a token, or with a bogus one (except the public ones)', async () => {
    for (const o of ops) {
      if (PUBLIC.has(o.key)) continue;
      const path = concrete(o.path, realParam(o.path), validQuery(o.key));
      expectError(`${o.key} without a token`, await send(o, path, { token: null }), 401);
      expectError(`${o.key} with a bogus token`, await send(o, path, { token: 'x'.repeat(5000) }), 401);
      expectError(`${o.key} with an injected token`, await send(o, path, { token: "' OR 1=1 --" }), 401);
    }
  });

  it('answers 404 for unknown ids in the path', async () => {
    let checked = 0;
    for (const o of ops) {
      if (!o.path.includes('{')) continue;
      const path = concrete(o.path, (name) => (name === 'revision' ? '1' : 'doesnotexist'), validQuery(o.key));
      const res = await send(o, path);
      expectError(`${o.key} with unknown ids`, res, 404);
      expect(res.body.error.code).toBe('not_found');
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(KNOWN.filter((k) => k.includes('{')).length);
    expectError('GET /api/docs/doesnotexist', await api.get('/api/docs/doesnotexist', ada.token), 404);
    // Unknown revisions of a real document.
    expectError('unknown revision', await api.get(`/api/docs/${keeper.id}/revisions/999999`, ada.token), 404);
    expectError('unknown revision restore', await api.post(`/api/docs/${keeper.id}/revisions/999999/restore`, {}, ada.token), 404);
    expectError('unknown diff revision', await api.get(`/api/docs/${keeper.id}/diff?from=1&to=999999`, ada.token), 404);
  });

  it('rejects hostile ids in the path with a 400 naming the parameter (or a 404), never a 500', async () => {
    const hostile = [
      '..%2F..%2Fetc%2Fpasswd',
      '..%5C..%5Cwindows',
      '%2E%2E',
      '%00',
      'abc%00def',
      'x'.repeat(300),
      encodeURIComponent("'; DROP TABLE users; --"),
      encodeURIComponent('<script>alert(1)</script>'),
      '%ff%fe',
      '%E0%A4%A',
      'a%20b',
      '%F0%9F%98%80',
    ];
    for (const o of ops) {
      const names = [...o.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      for (const name of names) {
        const values = name === 'revision' ? ['-1', '0', 'abc', '1.5', '1e999', '99999999999999999999', '%00', '0x'] : hostile;
        for (const value of values) {
          const path = concrete(o.path, (n) => (n === name ? value : realParam(o.path)(n)), validQuery(o.key));
          const res = await send(o, path);
          const label = `${o.key} with ${name}=${value.slice(0, 40)}`;
          expectError(label, res, [400, 404]);
          if (res.status === 400) expectFieldError(label, res, name);
        }
      }
    }
    // Raw dot segments are resolved by the URL before routing: still an error in the contract's shape.
    expectError('raw ../ in a doc path', await api.get('/api/docs/../../api/x', ada.token), 404);
    expectError('raw ../ to nowhere', await api.get('/api/docs/../tokens/../x', ada.token), 404);
  });

  it('answers a wrong method on a known path with 404 or 405 in the error shape', async () => {
    let checked = 0;
    for (const [path, item] of Object.entries(spec.paths)) {
      const p = concrete(path, realParam(path));
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
        if (item[method.toLowerCase()]) continue;
        const body = ['GET', 'OPTIONS'].includes(method) ? {} : { json: { title: 'x', name: 'x' } };
        const res = await api.call(method, p, { token: ada.token, ...body });
        expectError(`${method} ${path}`, res, [404, 405]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('rejects malformed JSON bodies with 400 malformed_json', async () => {
    const malformed = ['{"a":', '{', '', '{"title": "x",}', "{'title': 'x'}", 'undefined', '{"title": "\u0000"}', '\u0000', 'NaN', '{"a":1}}', '\uFEFF{"a":1'];
    for (const o of jsonOps()) {
      const path = concrete(o.path, realParam(o.path));
      for (const raw of malformed) {
        const res = await send(o, path, { raw, contentType: 'application/json' });
        expectError(`${o.key} with ${JSON.stringify(raw)}`, res, 400);
        expect(res.body.error.code, `${o.key} with ${JSON.stringify(raw)}`).toBe('malformed_json');
      }
    }
  });

  it('rejects JSON that is not an object (array, string, number, boolean, null) naming the whole input', async () => {
    for (const o of jsonOps()) {
      const path = concrete(o.path, realParam(o.path));
      for (const raw of ['[]', JSON.stringify([validBody(o.key)]), '"a string"', '42', '-1e999', 'true', 'null']) {
        expectFieldError(`${o.key} with ${raw.slice(0, 40)}`, await send(o, path, { raw, contentType: 'application/json' }), '');
      }
    }
  });

  it('rejects a JSON body sent under another content type, or with none', async () => {
    for (const o of jsonOps()) {
      const path = concrete(o.path, realParam(o.path));
      const raw = JSON.stringify(validBody(o.key));
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/html']) {
        expectError(`${o.key} as ${contentType}`, await send(o, path, { raw, contentType }), [400, 415]);
      }
      expectError(`${o.key} with no content type`, await send(o, path, { raw: new TextEncoder().encode(raw) }), [400, 415]);
    }
  });

  it('rejects a wrong type for each field, naming the field', async () => {
    let checked = 0;
    for (const o of jsonOps()) {
      const path = concrete(o.path, realParam(o.path));
      const schema = resolve(o.op.requestBody!.content['application/json']!.schema);
      const base = validBody(o.key) as Record<string, unknown>;
      for (const [field, fieldSchema] of Object.entries(schema.properties ?? {})) {
        for (const value of wrongValues(fieldSchema)) {
          const res = await send(o, path, { json: { ...base, [field]: value } });
          expectFieldError(`${o.key} with ${field}=${JSON.stringify(value)}`, res, field);
          checked++;
        }
        // One level down: the fields of nested objects (e.g. decision.status).
        const nested = resolve(fieldSchema);
        for (const [sub, subSchema] of Object.entries(nested.properties ?? {})) {
          for (const value of wrongValues(subSchema)) {
            const res = await send(o, path, { json: { ...base, [field]: { [sub]: value } } });
            expectFieldError(`${o.key} with ${field}.${sub}=${JSON.stringify(value)}`, res, `${field}.${sub}`);
            checked++;
          }
        }
      }
      // Missing required fields.
      for (const field of schema.required ?? []) {
        const body = { ...base };
        delete body[field];
        expectFieldError(`${o.key} without ${field}`, await send(o, path, { json: body }), field);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(150);
  });

  it('rejects wrong query parameter values, naming the parameter', async () => {
    let checked = 0;
    for (const o of ops) {
      for (const param of o.op.parameters ?? []) {
        if (param.in !== 'query') continue;
        const s = resolve(param.schema);
        const types = typesOf(param.schema);
        const bad: string[] = [];
        if (types.includes('integer') || types.includes('number')) {
          bad.push('abc', '', '1e999', 'NaN', '0x', '1,2');
          if (types.includes('integer')) bad.push('1.5');
          if ((s.minimum ?? s.exclusiveMinimum ?? -1) >= 0) bad.push('-1');
          if (s.maximum !== undefined) bad.push(String(s.maximum + 1), '1000000000000', '99999999999999999999');
        }
        if (types.includes('boolean')) bad.push('maybe', '2', '');
        if (s.enum) bad.push('not-a-member', '');
        if (s.format === 'date-time') bad.push('yesterday', '2025-02-30T00:00:00Z', '2025-01-01', "'; DROP TABLE documents; --");
        if (s.pattern) bad.push("'; DROP TABLE users; --", '../etc/passwd', 'a\u0000b', '<script>');
        if (s.maxLength !== undefined) bad.push('x'.repeat(s.maxLength + 1));
        for (const value of bad) {
          const path = concrete(o.path, realParam(o.path), { ...validQuery(o.key), [param.name]: value });
          expectFieldError(`${o.key} with ?${param.name}=${value.slice(0, 40)}`, await send(o, path), param.name);
          checked++;
        }
      }
      // Required query parameters left out.
      for (const param of o.op.parameters ?? []) {
        if (param.in !== 'query' || !param.required) continue;
        const query = { ...validQuery(o.key) };
        delete query[param.name];
        expectFieldError(`${o.key} without ?${param.name}`, await send(o, concrete(o.path, realParam(o.path), query)), param.name);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('answers 413 to bodies over the limit (3 MB of JSON; oversized imports)', async () => {
    const big = JSON.stringify({ title: 'x'.repeat(3 * 1024 * 1024), name: 'y' });
    for (const o of jsonOps()) {
      const res = await send(o, concrete(o.path, realParam(o.path)), { raw: big, contentType: 'application/json' });
      expectError(`${o.key} with 3 MB`, res, 413);
      expect(res.body.error.code).toBe('payload_too_large');
    }
    const importPath = `/api/import/markdown?spaceId=${space}`;
    const md = await api.call('POST', importPath, { token: ada.token, body: 'x'.repeat(3 * 1024 * 1024), headers: { 'content-type': 'text/markdown' } });
    expectError('3 MB Markdown import', md, 413);
    const huge = await api.call('POST', importPath, { token: ada.token, body: new Uint8Array(21 * 1024 * 1024), headers: { 'content-type': 'application/zip' } });
    expectError('21 MB zip import', huge, 413);
  });
});

describe('specific bad input', () => {
  const TIME_ZONES = ['Mars/Olympus', '', ' ', 'Europe/', '+01:00', 'Europe/Berlin\u0000', '../../etc/passwd', 'x'.repeat(1000), 'Local', "UTC'; --"];

  it('rejects invalid time zones on signup and on PATCH /api/me, and keeps the old one', async () => {
    for (const timezone of TIME_ZONES) {
      const signup = await api.post('/api/auth/signup', { email: 'tz@example.com', name: 'Tz', handle: 'tz', password: 'a long enough password', timezone });
      expectFieldError(`signup timezone ${JSON.stringify(timezone.slice(0, 20))}`, signup, 'timezone');
      expectFieldError(`PATCH /api/me timezone ${JSON.stringify(timezone.slice(0, 20))}`, await api.patch('/api/me', { timezone }, bob.token), 'timezone');
    }
    expect((await api.get('/api/me', bob.token)).body.user.timezone).toBe('Europe/Berlin');
  });

  it('rejects NUL bytes and lone surrogates in every stored text field, naming the field', async () => {
    const cases: Array<[string, string, string, (v: string) => unknown]> = [
      ['POST', '/api/docs', 'title', (v) => ({ spaceId: space, title: v })],
      ['POST', '/api/docs', 'markdown', (v) => ({ spaceId: space, title: 'ok', markdown: v })],
      ['PATCH', `/api/docs/${keeper.id}`, 'title', (v) => ({ title: v })],
      ['PATCH', `/api/docs/${keeper.id}`, 'markdown', (v) => ({ markdown: v })],
      ['PATCH', `/api/docs/${keeper.id}`, 'message', (v) => ({ title: 'ok', message: v })],
      ['POST', '/api/spaces', 'name', (v) => ({ name: v })],
      ['PATCH', `/api/spaces/${space}`, 'name', (v) => ({ name: v })],
      ['PATCH', '/api/me', 'name', (v) => ({ name: v })],
      ['POST', '/api/tokens', 'name', (v) => ({ name: v })],
      ['POST', '/api/auth/signup', 'name', (v) => ({ email: 'n@example.com', name: v, handle: 'nul', password: 'a long enough password', timezone: 'UTC' })],
    ];
    for (const [method, path, field, body] of cases) {
      for (const value of ['a\u0000b', '\u0000', 'x\uD800', '\uDC00y', 'ok\uDBFF']) {
        // JSON.stringify writes lone surrogates as \udXXX escapes; the server sees them after parsing.
        const res = await api.call(method, path, { token: ada.token, json: body(value) });
        expectFieldError(`${method} ${path} ${field}=${JSON.stringify(value)}`, res, field);
      }
      // A raw (unescaped) NUL inside a JSON string is not JSON at all.
      const raw = JSON.stringify(body('RAWNUL')).replace('RAWNUL', 'a\u0000b');
      const res = await api.call(method, path, { token: ada.token, body: raw, headers: { 'content-type': 'application/json' } });
      expectError(`${method} ${path} ${field} raw NUL`, res, 400);
    }
    // Invalid UTF-8 bytes decode to U+FFFD: accepted or refused, never a 500 and never a NUL.
    const bytes = Buffer.concat([Buffer.from(`{"spaceId":"${space}","title":"bad `), Buffer.from([0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from('"}')]);
    const invalidUtf8 = await api.call('POST', '/api/docs', { token: ada.token, body: bytes, headers: { 'content-type': 'application/json' } });
    expect([201, 400]).toContain(invalidUtf8.status);
    if (invalidUtf8.status === 201) {
      createdOnPurpose++;
      expect(invalidUtf8.body.doc.title).toBe('bad \uFFFD\uFFFD\uFFFD\uFFFD\uFFFD');
    } else expectError('invalid UTF-8', invalidUtf8, 400);
  });

  it('stores <script> and SQL-ish strings verbatim and returns them as JSON, never executing them', async () => {
    const xss = '<script>alert("pwned")</script><img src=x onerror=alert(1)>';
    const sql = "'; DROP TABLE users; --";
    const sql2 = "Robert'); DROP TABLE documents;-- \" OR 1=1 /*";
    const usersBefore = Number((await api.t.deps.database.client.execute('SELECT count(*) AS n FROM users')).rows[0]!.n);

    const s = await api.post('/api/spaces', { name: sql }, bob.token);
    expect(s.status).toBe(201);
    expect(s.body.space.name).toBe(sql);
    const doc = await api.post('/api/docs', { spaceId: s.body.space.id, title: xss, markdown: `Text with ${sql2} in it.` }, bob.token);
    expect(doc.status).toBe(201);
    createdOnPurpose++;
    const doc2 = await api.post('/api/docs', { spaceId: s.body.space.id, title: sql2, markdown: '' }, bob.token);
    expect(doc2.status).toBe(201);
    createdOnPurpose++;
    const renamed = await api.patch('/api/me', { name: xss.slice(0, 100) }, bob.token);
    expect(renamed.status).toBe(200);
    const token = await api.post('/api/tokens', { name: sql2 }, bob.token);
    expect(token.status).toBe(201);

    // Read back: exactly as sent, as JSON (not HTML), with the raw text a JSON-escaped string.
    const read = await api.get(`/api/docs/${doc.body.doc.id}?peek=1`, bob.token);
    expect(read.headers.get('content-type')).toContain('application/json');
    expect(read.body.doc.title).toBe(xss);
    expect(read.body.doc.markdown).toContain("Robert'); DROP TABLE documents;--");
    const raw = await api.t.app.request(`/api/docs/${doc2.body.doc.id}?peek=1`, { headers: { authorization: `Bearer ${bob.token}` } });
    const text = await raw.text();
    expect(text).toContain(JSON.stringify(sql2));
    expect(JSON.parse(text).doc.title).toBe(sql2);
    const spaces = await api.get('/api/spaces', bob.token);
    expect(spaces.body.spaces.map((x: { name: string }) => x.name)).toContain(sql);
    const people = await api.get('/api/users', ada.token);
    expect(people.body.users.map((u: { name: string }) => u.name)).toContain(xss.slice(0, 100));
    const tokens = await api.get('/api/tokens', bob.token);
    expect(tokens.body.tokens.map((t: { name: string }) => t.name)).toContain(sql2);
    const listed = await api.get(`/api/docs?spaceId=${s.body.space.id}`, bob.token);
    expect(listed.body.docs.map((d: { title: string }) => d.title).sort()).toEqual([sql2, xss].sort());

    // The Markdown export holds the title as a YAML string in its front matter and is not served as HTML.
    const exported = await api.get(`/api/docs/${doc.body.doc.id}/export.md`, bob.token);
    expect(exported.headers.get('content-type')).toContain('text/markdown');
    expect(exported.body.split('\n').slice(0, 2)).toEqual(['---', `title: ${xss}`]);
    expect(exported.headers.get('content-disposition')).toMatch(/^attachment; filename="[ -~]+\.md"; filename\*=UTF-8''[\w.%~!-]+\.md$/);

    // SQL-ish strings in the query string and login are just strings.
    const login = await api.post('/api/auth/login', { email: "' OR '1'='1", password: "' OR '1'='1' --" });
    expectError('SQL-ish login', login, 401);
    const login2 = await api.post('/api/auth/login', { email: 'ada@example.com', password: "' OR '1'='1' --" });
    expectError('SQL-ish password', login2, 401);
    const cursor = (at: number) => Buffer.from(`${at}:' OR 1=1 --`).toString('base64url');
    const later = await api.get(`/api/docs?cursor=${cursor(Date.now() + 1e9)}&spaceId=${s.body.space.id}`, bob.token);
    expect(later.status).toBe(200);
    expect(later.body.docs).toHaveLength(2); // both are older than the cursor's time
    const earlier = await api.get(`/api/docs?cursor=${cursor(0)}&spaceId=${s.body.space.id}`, bob.token);
    expect(earlier.status).toBe(200);
    expect(earlier.body.docs).toHaveLength(0); // the id is compared as a string, not run as SQL

    // Nothing was executed: the tables are all there with their rows.
    const usersAfter = Number((await api.t.deps.database.client.execute('SELECT count(*) AS n FROM users')).rows[0]!.n);
    expect(usersAfter).toBe(usersBefore);
    const tables = (await api.t.deps.database.client.execute("SELECT name FROM sqlite_master WHERE type = 'table'")).rows.map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['users', 'documents', 'spaces', 'revisions']));
  });

  it('does not let a body smuggle in privileges or unknown fields', async () => {
    const proto = await api.call('PATCH', '/api/me', { token: bob.token, body: '{"__proto__":{"role":"admin"},"name":"bobby"}', headers: { 'content-type': 'application/json' } });
    expectError('__proto__ in PATCH /api/me', proto, 400);
    expectFieldError('role in PATCH /api/me', await api.patch('/api/me', { role: 'admin' }, bob.token), '');
    expectFieldError('constructor in PATCH /api/docs', await api.patch(`/api/docs/${keeper.id}`, { title: 'x', constructor: { prototype: { x: 1 } } }, bob.token), '');
    const signup = await api.call('POST', '/api/auth/signup', {
      body: '{"email":"eve@example.com","name":"Eve","handle":"eve","password":"a long enough password","timezone":"UTC","role":"admin","__proto__":{"role":"admin"}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(signup.status).toBe(201);
    expect(signup.body.user.role).toBe('member');
    const me = await api.get('/api/me', bob.token);
    expect(me.body.user.role).toBe('member');
    expect(me.body.user.name).not.toBe('bobby');
  });

  it('rejects a huge, zero, negative or non-numeric ?limit=', async () => {
    for (const limit of ['201', '1000000000', '99999999999999999999', '1e999', '0', '-1', '-200', 'abc', '1.5', '']) {
      expectFieldError(`?limit=${limit}`, await api.get(`/api/docs?limit=${limit}`, ada.token), 'limit');
    }
    expect((await api.get('/api/docs?limit=200', ada.token)).status).toBe(200);
  });

  it('rejects negative, zero and non-numeric revisions and from/to', async () => {
    for (const rev of ['-1', '-0', '0', 'abc', '1.5', '1e999', 'Infinity']) {
      expectFieldError(`revision ${rev}`, await api.get(`/api/docs/${keeper.id}/revisions/${rev}`, ada.token), 'revision');
      expectFieldError(`restore revision ${rev}`, await api.post(`/api/docs/${keeper.id}/revisions/${rev}/restore`, {}, ada.token), 'revision');
    }
    for (const [from, to, field] of [
      ['abc', '1', 'from'],
      ['1', 'xyz', 'to'],
      ['-1', '1', 'from'],
      ['1', '0', 'to'],
      ['1', '1.5', 'to'],
      ['', '1', 'from'],
      ['1e999', '1', 'from'],
    ] as const) {
      expectFieldError(`diff from=${from} to=${to}`, await api.get(`/api/docs/${keeper.id}/diff?from=${from}&to=${to}`, ada.token), field);
    }
    expectFieldError('diff without from', await api.get(`/api/docs/${keeper.id}/diff?to=1`, ada.token), 'from');
    expectFieldError('diff without to', await api.get(`/api/docs/${keeper.id}/diff?from=1`, ada.token), 'to');
    expect((await api.get(`/api/docs/${keeper.id}/diff?from=1&to=1`, ada.token)).status).toBe(200);
  });

  it('answers 415 to unsupported content types on import, and 400 to a bad import query', async () => {
    const path = `/api/import/markdown?spaceId=${space}`;
    for (const contentType of ['application/json', 'text/html', 'image/png', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/octet-stream', 'application/x-tar']) {
      const res = await api.call('POST', path, { token: ada.token, body: '# Title\n\nBody', headers: { 'content-type': contentType } });
      expectError(`import as ${contentType}`, res, 415);
      expect(res.body.error.code).toBe('unsupported_media_type');
    }
    const none = await api.call('POST', path, { token: ada.token, body: new TextEncoder().encode('# Title') });
    expectError('import without a content type', none, 415);
    expectFieldError('import without spaceId', await api.call('POST', '/api/import/markdown', { token: ada.token, body: '# T', headers: { 'content-type': 'text/markdown' } }), 'spaceId');
    expectError('import into an unknown space', await api.call('POST', '/api/import/markdown?spaceId=doesnotexist', { token: ada.token, body: '# T', headers: { 'content-type': 'text/markdown' } }), 404);
    expectError('import under an unknown parent', await api.call('POST', `${path}&parentId=doesnotexist`, { token: ada.token, body: '# T', headers: { 'content-type': 'text/markdown' } }), 404);
    expectError('corrupt zip', await api.call('POST', path, { token: ada.token, body: Buffer.from('PK\u0003\u0004 definitely not a zip'), headers: { 'content-type': 'application/zip' } }), 422);
    expectError('empty zip body', await api.call('POST', path, { token: ada.token, body: new Uint8Array(0), headers: { 'content-type': 'application/zip' } }), 422);
  });

  it('never stores control characters or NUL in titles that come from an imported file', async () => {
    const path = `/api/import/markdown?spaceId=${space}`;
    const cases: Array<[string, string]> = [
      ['&filename=%00', 'plain body'],
      ['&filename=a%0Ab%0D.md', 'plain body'],
      ['&filename=%E2%80%AEtxt.exe', 'plain body'],
      ['', '# Evil\u202Etxt.exe\n\nbody'],
      ['', '# a\u0001b\u0007c\n\nbody'],
      ['', '# \u0000\n\nbody'],
    ];
    for (const [query, body] of cases) {
      const res = await api.call('POST', `${path}${query}`, { token: ada.token, body, headers: { 'content-type': 'text/markdown' } });
      if (res.status >= 400) {
        expectError(`import ${query} ${JSON.stringify(body)}`, res);
        continue;
      }
      expect(res.status).toBe(201);
      createdOnPurpose += res.body.docs.length;
      for (const d of res.body.docs) {
        // eslint-disable-next-line no-control-regex -- asserts that no control character survives in a title
        expect(d.title, JSON.stringify(d.title)).not.toMatch(/[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/);
        expect(d.title.trim().length).toBeGreaterThan(0);
        const full = await api.get(`/api/docs/${d.id}?peek=1`, ada.token);
        expect(full.body.doc.markdown).not.toContain('\u0000');
      }
    }
  });
});

describe('after the barrage', () => {
  it('every validation 400 named its fields', () => {
    const validation = responses.filter((r) => r.res.status === 400 && r.res.body?.error?.code === 'validation_failed');
    expect(validation.length).toBeGreaterThan(200);
    for (const { label, res } of validation) {
      const fields = res.body.error.details?.fields;
      expect(Array.isArray(fields) && fields.length > 0, label).toBe(true);
      for (const f of fields) {
        expect(typeof f.path, label).toBe('string');
        expect(typeof f.code, label).toBe('string');
        expect(typeof f.message, label).toBe('string');
      }
    }
    expect(responses.some((r) => r.res.status === 500)).toBe(false);
  });

  it('left what was saved before intact', async () => {
    const read = await api.get(`/api/docs/${keeper.id}?peek=1`, ada.token);
    expect(read.status).toBe(200);
    expect(read.body.doc).toMatchObject({ id: keeper.id, title: keeper.title, markdown: keeper.markdown, revision: 1, spaceId: space });
    expect(read.body.doc.markdown).toBe(KEEPER_MARKDOWN);
    const revs = await api.get(`/api/docs/${keeper.id}/revisions`, ada.token);
    expect(revs.body.revisions.map((r: { revision: number }) => r.revision)).toEqual([1]);
    const sp = await api.get(`/api/spaces/${space}`, ada.token);
    expect(sp.body.space.name).toBe('Engineering');
    expect((await api.get('/api/me', ada.token)).body.user).toMatchObject({ name: 'ada', timezone: 'Europe/Berlin', role: 'admin' });
    expect((await api.get('/api/me', bob.token)).body.user).toMatchObject({ timezone: 'Europe/Berlin', role: 'member' });
    const tokens = await api.get('/api/tokens', ada.token);
    expect(tokens.body.tokens.map((t: { id: string }) => t.id)).toContain(tokenId);
    const members = await api.get(`/api/spaces/${space}/members`, ada.token);
    expect(members.body.members).toEqual([{ userId: ada.id, role: 'admin' }]);

    const client = api.t.deps.database.client;
    const docs = Number((await client.execute('SELECT count(*) AS n FROM documents')).rows[0]!.n);
    expect(docs).toBe(docsAtStart + createdOnPurpose);
    const integrity = await client.execute('PRAGMA integrity_check');
    expect(integrity.rows.map((r) => r[0])).toEqual(['ok']);
    const fk = await client.execute('PRAGMA foreign_key_check');
    expect(fk.rows).toEqual([]);
  });
});
