import { createTestApp, type TestApp } from '@handoff/api/testing';

export interface Person {
  id: string;
  email: string;
  handle: string;
  token: string;
}

export interface Call {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of any endpoint; callers read the fields they expect
  headers: Headers;
}

/** A thin client over the real Hono app (`app.request`, no network) with a real libSQL file. */
export class ApiClient {
  private counter = 0;
  constructor(readonly t: TestApp) {}

  /**
   * Sign-up is open here (`HANDOFF_SIGNUP=open`): most tests are about something else and sign up
   * several people. Tests of invite-only sign-up pass `config: { signup: 'invite' }`.
   */
  static async start(options: Parameters<typeof createTestApp>[0] = {}) {
    return new ApiClient(await createTestApp({ ...options, config: { signup: 'open', ...options.config } }));
  }

  async call(method: string, path: string, opts: { token?: string | null; json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {}): Promise<Call> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: BodyInit | undefined = opts.body;
    if (opts.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(opts.json);
    }
    const res = await this.t.app.request(path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed, headers: res.headers };
  }

  get = (path: string, token?: string | null) => this.call('GET', path, { token });
  post = (path: string, json: unknown, token?: string | null) => this.call('POST', path, { token, json });
  patch = (path: string, json: unknown, token?: string | null) => this.call('PATCH', path, { token, json });
  put = (path: string, json: unknown, token?: string | null) => this.call('PUT', path, { token, json });
  del = (path: string, token?: string | null) => this.call('DELETE', path, { token });

  async signup(handle?: string, extra: Partial<{ timezone: string; name: string }> = {}): Promise<Person> {
    const h = handle ?? `user${++this.counter}`;
    const res = await this.post('/api/auth/signup', {
      email: `${h}@example.com`,
      name: extra.name ?? h,
      handle: h,
      password: 'correct horse battery',
      timezone: extra.timezone ?? 'Europe/Berlin',
    });
    if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.user.id, email: res.body.user.email, handle: h, token: res.body.token };
  }

  async space(owner: Person, name = 'Space', isPrivate = false): Promise<string> {
    const res = await this.post('/api/spaces', { name, private: isPrivate }, owner.token);
    if (res.status !== 201) throw new Error(`space failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.space.id;
  }

  async doc(owner: Person, spaceId: string, title: string, markdown = '', extra: Record<string, unknown> = {}) {
    const res = await this.post('/api/docs', { spaceId, title, markdown, ...extra }, owner.token);
    if (res.status !== 201) throw new Error(`doc failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.doc as { id: string; revision: number; markdown: string };
  }

  close() {
    return this.t.close();
  }
}
