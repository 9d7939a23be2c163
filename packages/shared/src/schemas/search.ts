import { z } from 'zod';
import { DateTimeInputSchema, DateTimeSchema, IdSchema, singleLineText } from './common.ts';
import { DocKindSchema } from './docs.ts';

export const SearchEngineSchema = z.enum(['sqlite', 'meilisearch']);
export type SearchEngine = z.infer<typeof SearchEngineSchema>;

/** `GET /api/search?q=&spaceId=&kind=&limit=`. */
export const SearchQuerySchema = z
  .object({
    q: singleLineText({ min: 1, max: 500 }),
    spaceId: IdSchema.optional(),
    kind: DocKindSchema.optional(),
    /** Extension: only documents this person has written a revision of. */
    author: IdSchema.optional(),
    /** Extension: only documents changed at or after this time. */
    updatedSince: DateTimeInputSchema.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .meta({ id: 'SearchQuery' });
export type SearchQuery = z.infer<typeof SearchQuerySchema>;

export const SearchHitSchema = z
  .object({
    docId: IdSchema,
    title: z.string(),
    snippet: z.string().meta({ description: 'HTML-escaped text; matched words wrapped in <mark>…</mark>.' }),
    spaceId: IdSchema,
    kind: DocKindSchema,
    updatedAt: DateTimeSchema,
  })
  .meta({ id: 'SearchHit' });
export type SearchHit = z.infer<typeof SearchHitSchema>;

export const SearchResponseSchema = z
  .object({
    hits: z.array(SearchHitSchema),
    total: z.number().int().nonnegative(),
    engine: SearchEngineSchema,
  })
  .meta({ id: 'SearchResponse' });
export type SearchResponse = z.infer<typeof SearchResponseSchema>;
