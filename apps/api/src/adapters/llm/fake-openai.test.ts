/**
 * The FAKE OpenAI server speaks the wire format the official client expects: these tests drive it
 * with the `openai` client itself (a real endpoint needs no such check).
 */
import OpenAI, { APIConnectionTimeoutError, AuthenticationError, BadRequestError, InternalServerError, NotFoundError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeOpenAi } from './fake-openai.ts';

let fake: FakeOpenAi;
let client: OpenAI;

beforeAll(async () => {
  fake = await FakeOpenAi.start({ apiKey: 'fake-key' });
  client = new OpenAI({ baseURL: fake.url, apiKey: 'fake-key', maxRetries: 0 });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const ask = (content = 'Hello') => client.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content }] });

describe('FakeOpenAi', () => {
  it('answers a chat completion in the wire format, and records the request', async () => {
    fake.respond((request, index) => ({ content: { echo: request.messages[0]!.content, index } }));
    const completion = await ask('Hi there');
    expect(completion).toMatchObject({
      object: 'chat.completion',
      model: 'fake-model',
      choices: [{ index: 0, message: { role: 'assistant', content: '{"echo":"Hi there","index":0}', refusal: null }, finish_reason: 'stop' }],
      usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), total_tokens: expect.any(Number) },
    });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.created).toBeCloseTo(Date.now() / 1000, -1);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', headers: { authorization: 'Bearer fake-key' } });
    expect(fake.chatRequests[0]).toMatchObject({ model: 'fake-model', messages: [{ role: 'user', content: 'Hi there' }] });
  });

  it('passes the structured-output request through as sent', async () => {
    const response_format = { type: 'json_schema' as const, json_schema: { name: 'x', strict: true, schema: { type: 'object', properties: {}, required: [], additionalProperties: false } } };
    await client.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'x' }], response_format });
    expect(fake.chatRequests[0]!.response_format).toEqual(response_format);
  });

  it('answers errors as OpenAI does, which the client turns into its typed errors', async () => {
    fake.respond(() => ({ status: 500 }));
    const error = await ask().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 500, type: 'server_error' });

    fake.respond(() => ({ status: 400, error: { message: 'Bad schema', code: 'invalid_json_schema' } }));
    await expect(ask()).rejects.toMatchObject({ status: 400, code: 'invalid_json_schema', message: expect.stringContaining('Bad schema') });

    const wrongKey = new OpenAI({ baseURL: fake.url, apiKey: 'wrong', maxRetries: 0 });
    await expect(wrongKey.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(AuthenticationError);
    await expect(client.chat.completions.create({ model: '', messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(BadRequestError);
    await expect(client.chat.completions.create({ model: 'm', messages: [] })).rejects.toMatchObject({ status: 400, param: 'messages' });
    await expect(client.post('/nowhere', { body: {} })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('delays an answer so that the client times out', async () => {
    fake.respond(() => ({ delayMs: 2_000, content: 'late' }));
    const started = Date.now();
    await expect(client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }, { timeout: 100 })).rejects.toBeInstanceOf(APIConnectionTimeoutError);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('sends raw bodies, refusals and cut-off answers', async () => {
    fake.respond(() => ({ raw: '<html>Bad gateway</html>' }));
    expect(await ask()).toBe('<html>Bad gateway</html>');
    fake.respond(() => ({ refusal: 'No.' }));
    expect((await ask()).choices[0]!.message).toMatchObject({ content: null, refusal: 'No.' });
    fake.respond(() => ({ content: '{"a": [', finishReason: 'length' }));
    expect((await ask()).choices[0]).toMatchObject({ finish_reason: 'length', message: { content: '{"a": [' } });
  });

  it('lists a model', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['fake-model']);
  });
});
