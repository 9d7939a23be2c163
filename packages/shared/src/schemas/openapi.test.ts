import { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as schemas from './index.ts';
import {
  CreateDocRequestSchema,
  DocResponseSchema,
  ErrorSchema,
  IdParamsSchema,
  ListDocsQuerySchema,
  validationErrorBody,
} from './index.ts';

const exported = Object.entries(schemas as Record<string, unknown>).filter(
  (entry): entry is [string, z.ZodType] => entry[1] instanceof z.ZodType,
);

describe('OpenAPI metadata', () => {
  it('every exported object schema has a unique .meta id', () => {
    const ids = new Map<string, string>();
    for (const [name, schema] of exported) {
      const id = z.globalRegistry.get(schema)?.id;
      if (schema instanceof z.ZodObject) expect(id, `${name} has no .meta({ id })`).toBeTypeOf('string');
      if (id === undefined) continue;
      expect(ids.get(id), `${name} and ${ids.get(id)} share the id ${id}`).toBeUndefined();
      ids.set(id, name);
    }
  });

  it('every schema can be turned into an OpenAPI component', () => {
    const withIds = exported.filter(([, schema]) => z.globalRegistry.get(schema)?.id !== undefined).map(([, schema]) => ({ type: 'schema' as const, schema }));
    const { components } = new OpenApiGeneratorV31(withIds).generateComponents();
    expect(Object.keys(components?.schemas ?? {})).toEqual(
      expect.arrayContaining(['Doc', 'DocSummary', 'PatchDocRequest', 'SignupRequest', 'Brief', 'DiffBlock', 'TimeZone', 'LexicalEditorState']),
    );
    // zod-to-openapi renders `.nullable()` of a registered schema as `allOf: [$ref, {type: [.., null]}]`,
    // which rejects null. Scalars and enums therefore carry no id; keep it that way.
    expect(JSON.stringify(components)).not.toContain('allOf');
  });

  it('@hono/zod-openapi picks up .meta ids as components and validates with the schemas', async () => {
    const app = new OpenAPIHono({
      defaultHook: (result, c) => {
        if (!result.success) return c.json(validationErrorBody(result.error, result.target), 400);
      },
    });
    const route = createRoute({
      method: 'post',
      path: '/api/docs/{id}',
      request: {
        params: IdParamsSchema,
        query: ListDocsQuerySchema,
        body: { content: { 'application/json': { schema: CreateDocRequestSchema } }, required: true },
      },
      responses: {
        201: { description: 'Created', content: { 'application/json': { schema: DocResponseSchema } } },
        400: { description: 'Invalid', content: { 'application/json': { schema: ErrorSchema } } },
      },
    });
    app.openapi(route, (c) => {
      const body = c.req.valid('json');
      const query = c.req.valid('query');
      return c.json(
        {
          doc: {
            id: c.req.valid('param').id,
            spaceId: body.spaceId,
            parentId: null,
            title: body.title,
            kind: body.kind,
            markdown: `${query.limit}`,
            content: {},
            revision: 1,
            createdBy: 'u1',
            updatedBy: 'u1',
            createdAt: '2025-01-01T00:00:00.000Z',
            updatedAt: '2025-01-01T00:00:00.000Z',
          },
        },
        201,
      );
    });

    const document = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'Handoff', version: '1' } });
    const components = document.components?.schemas ?? {};
    expect(Object.keys(components)).toEqual(
      expect.arrayContaining(['CreateDocRequest', 'DocResponse', 'Doc', 'Error', 'DecisionInput']),
    );
    const operation = document.paths?.['/api/docs/{id}']?.post;
    expect(operation?.requestBody).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateDocRequest' } } },
    });
    const parameters = (operation?.parameters ?? []) as Array<{ name: string; in: string; schema?: unknown }>;
    expect(parameters.map((p) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining(['path:id', 'query:limit', 'query:cursor', 'query:trashed', 'query:updatedSince']),
    );
    expect(parameters.find((p) => p.name === 'trashed')?.schema).toMatchObject({ type: 'boolean' });

    const ok = await app.request('/api/docs/d1?limit=5', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ spaceId: 's1', title: ' Hello ' }),
    });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ doc: { id: 'd1', title: 'Hello', kind: 'page', markdown: '5' } });

    const bad = await app.request('/api/docs/d1', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ spaceId: 's1', title: 'a\u0000' }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { code: 'validation_failed', details: { location: 'json', fields: [{ path: 'title' }] } },
    });
  });
});
