/**
 * FAKE OpenAI-compatible server, for tests: a `node:http` server on a free port that answers
 * `POST /v1/chat/completions` in the chat completions wire format, so the official `openai`
 * client talks to it unchanged. It exists because no LLM endpoint is reachable where the tests
 * run; the same suite runs against a real endpoint when `OPENAI_BASE_URL` is set, which is how
 * this fake's fidelity is checked.
 *
 * - Success: `200 {id: "chatcmpl-…", object: "chat.completion", created, model, choices: [{index,
 *   message: {role: "assistant", content, refusal: null, annotations: []}, logprobs: null,
 *   finish_reason}], usage: {prompt_tokens, completion_tokens, total_tokens}, system_fingerprint}`.
 * - Errors: `{error: {message, type, param, code}}` with the status OpenAI uses (400 for a bad
 *   body, 401 for a wrong key, 404 for an unknown route, 405 for a wrong method, or any status an
 *   answer asks for).
 * - Every request is recorded (`requests`) with its parsed body, for assertions.
 * - The answer is programmed per test (`respond(fn)`): a function of the request returning the
 *   content (a string, or an object sent as JSON text), a delay, a status, an error, a finish
 *   reason, or a raw body that is not JSON at all.
 *
 * Not implemented: streaming (`stream: true` is refused with 400), tools, `n > 1`, other routes
 * than `GET /v1/models`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool';
  content: string | Array<{ type: string; text?: string }> | null;
}

/** The body of `POST /v1/chat/completions`, as the fake reads it. */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean | null; schema?: Record<string, unknown> } };
  [key: string]: unknown;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
}

/** What the fake answers to one chat completion request. */
export interface FakeAnswer {
  /** The assistant message's content; an object is sent as its JSON text. */
  content?: string | object | null;
  finishReason?: 'stop' | 'length' | 'content_filter';
  refusal?: string;
  /** Wait this long before answering (a client's timeout fires first). */
  delayMs?: number;
  /** Answer with this HTTP status and an OpenAI error object. */
  status?: number;
  error?: { message?: string; type?: string; code?: string | null };
  /** Send this text as the whole body, as is (e.g. an HTML error page from a proxy). */
  raw?: string;
}

export type FakeResponder = (request: ChatRequest, index: number) => FakeAnswer | Promise<FakeAnswer>;

export interface FakeOpenAiOptions {
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'invalid_request_error',
  403: 'permission_error',
  404: 'invalid_request_error',
  405: 'invalid_request_error',
  408: 'timeout',
  429: 'rate_limit_exceeded',
  500: 'server_error',
  502: 'server_error',
  503: 'server_error',
};

export class FakeOpenAi {
  readonly requests: RecordedRequest[] = [];
  #responder: FakeResponder = () => ({ content: 'This is a fake answer.' });
  #completions = 0;
  readonly #timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    private readonly options: FakeOpenAiOptions,
  ) {}

  static async start(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
    const server = createServer((req, res) => {
      void fake.handle(req, res);
    });
    const fake = new FakeOpenAi(server, options);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** The base URL to give the client (`…/v1`, like `https://api.openai.com/v1`). */
  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v1`;
  }

  /** The recorded chat completion request bodies, oldest first. */
  get chatRequests(): ChatRequest[] {
    return this.requests.filter((r) => r.path === '/v1/chat/completions' && typeof r.body === 'object').map((r) => r.body as ChatRequest);
  }

  /** Programs the answers; `index` counts the chat completion requests since this call. */
  respond(responder: FakeResponder): void {
    this.#responder = responder;
    this.#completions = 0;
  }

  /** Forgets the recorded requests and restores the default answer. */
  reset(): void {
    this.requests.length = 0;
    this.respond(() => ({ content: 'This is a fake answer.' }));
  }

  async close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname.replace(/(?<!\/)\/+$/, '');
    const text = await readBody(req);
    let body: unknown = text;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    this.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });

    if (this.options.apiKey && req.headers.authorization !== `Bearer ${this.options.apiKey}`) {
      return sendError(res, 401, 'Incorrect API key provided.', 'invalid_api_key');
    }
    if (path === '/v1/models') {
      if (req.method !== 'GET') return sendError(res, 405, `Method ${req.method} not allowed.`);
      return sendJson(res, 200, { object: 'list', data: [{ id: 'fake-model', object: 'model', created: 0, owned_by: 'fake' }] });
    }
    if (path !== '/v1/chat/completions') return sendError(res, 404, `Invalid URL (${req.method} ${path})`, 'unknown_url');
    if (req.method !== 'POST') return sendError(res, 405, `Method ${req.method} not allowed.`);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return sendError(res, 400, "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload.)");
    }
    const request = body as ChatRequest;
    if (typeof request.model !== 'string' || !request.model) return sendError(res, 400, 'you must provide a model parameter', null, null);
    if (!Array.isArray(request.messages) || request.messages.length === 0) {
      return sendError(res, 400, "Invalid 'messages': empty array. Expected an array with minimum length 1.", 'empty_array', 'messages');
    }
    if (request.stream) return sendError(res, 400, 'The fake OpenAI server does not stream.', 'unsupported_value', 'stream');
    const format = request.response_format;
    if (format?.type === 'json_schema' && (!format.json_schema?.name || typeof format.json_schema.schema !== 'object')) {
      return sendError(res, 400, "Missing required parameter: 'response_format.json_schema'.", 'missing_required_parameter', 'response_format.json_schema');
    }

    let answer: FakeAnswer;
    try {
      answer = await this.#responder(request, this.#completions++);
    } catch (error) {
      return sendError(res, 500, `The fake's responder threw: ${String(error)}`);
    }
    if (answer.delayMs) {
      const closed = await this.delay(answer.delayMs, res);
      if (closed) return;
    }
    if (answer.raw !== undefined) {
      res.writeHead(answer.status ?? 200, { 'content-type': 'text/html' });
      res.end(answer.raw);
      return;
    }
    if (answer.status && answer.status >= 400) {
      return sendError(res, answer.status, answer.error?.message ?? 'The server had an error while processing your request.', answer.error?.code ?? null, null, answer.error?.type);
    }
    const content = answer.content === undefined || answer.content === null || typeof answer.content === 'string' ? (answer.content ?? null) : JSON.stringify(answer.content);
    const promptTokens = Math.ceil(JSON.stringify(request.messages).length / 4);
    const completionTokens = Math.ceil((content ?? '').length / 4);
    sendJson(res, answer.status ?? 200, {
      id: `chatcmpl-${randomUUID().replaceAll('-', '')}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: request.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: answer.refusal ? null : content, refusal: answer.refusal ?? null, annotations: [] },
          logprobs: null,
          finish_reason: answer.finishReason ?? 'stop',
        },
      ],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
      service_tier: 'default',
      system_fingerprint: 'fp_fake',
    });
  }

  /** Waits `ms`, or until the client goes away (then resolves true). */
  private delay(ms: number, res: ServerResponse): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        res.off('close', onClose);
        resolve(res.destroyed);
      }, ms);
      const onClose = () => {
        clearTimeout(timer);
        this.#timers.delete(timer);
        resolve(true);
      };
      this.#timers.add(timer);
      res.once('close', onClose);
    });
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_${randomUUID().replaceAll('-', '')}` });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, message: string, code: string | null = null, param: string | null = null, type?: string): void {
  sendJson(res, status, { error: { message, type: type ?? ERROR_TYPES[status] ?? 'server_error', param, code } });
}
