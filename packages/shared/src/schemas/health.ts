import { z } from 'zod';
import { SearchEngineSchema } from './search.ts';

export const HealthStatusSchema = z.enum(['ok', 'error', 'disabled']);
export type HealthStatus = z.infer<typeof HealthStatusSchema>;

/** `GET /api/health`. `ok` is true when everything required (db, search) is `ok`. */
export const HealthResponseSchema = z
  .object({
    ok: z.boolean(),
    db: HealthStatusSchema,
    search: HealthStatusSchema,
    llm: HealthStatusSchema.meta({ description: '"disabled" when no LLM is configured; briefs are then extractive.' }),
    searchEngine: SearchEngineSchema.optional(),
    version: z.string().optional(),
  })
  .meta({ id: 'HealthResponse' });
export type HealthResponse = z.infer<typeof HealthResponseSchema>;
