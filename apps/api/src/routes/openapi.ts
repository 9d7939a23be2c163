import { OpenAPIHono, type Hook } from '@hono/zod-openapi';
import type { z } from 'zod';
import { ErrorSchema, validationErrorBody } from '@handoff/shared/schemas';
import type { AppEnv } from '../context.ts';

/** Every request schema failure becomes the contract's 400 with `details.fields`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one hook serves every route, whose input and output types differ
export const validationHook: Hook<any, AppEnv, any, any> = (result, c) => {
  if (!result.success) {
    return c.json(validationErrorBody(result.error as z.core.$ZodError, result.target), 400);
  }
  return undefined;
};

/** A route module: an OpenAPIHono with the shared validation hook. */
export function router() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

const err = (description: string) => jsonContent(ErrorSchema, description);

/** The error responses most routes share, for the OpenAPI document. */
export const errorResponses = {
  400: err('Invalid input: `details.fields` names the fields.'),
  401: err('Not logged in, or the token is not valid.'),
  403: err('Logged in but not allowed (or a failed CSRF check).'),
  404: err('Not found, or not readable by the caller.'),
} as const;

export const noContent = { 204: { description: 'Done.' } } as const;
