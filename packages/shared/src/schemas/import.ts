import { z } from 'zod';
import { IdSchema } from './common.ts';
import { DocSummarySchema } from './docs.ts';

/**
 * `POST /api/import/markdown?spaceId=&parentId=`. The body is the file itself: `text/markdown`
 * (one document) or `application/zip` (folders become nested documents).
 */
export const ImportMarkdownQuerySchema = z
  .object({
    spaceId: IdSchema,
    parentId: IdSchema.optional(),
    filename: z.string().trim().min(1).max(255).optional().meta({ description: 'The file name of a single Markdown file, used as its title when it has no leading heading.' }),
  })
  .meta({ id: 'ImportMarkdownQuery' });
export type ImportMarkdownQuery = z.infer<typeof ImportMarkdownQuerySchema>;

/** The documents created, parents before children. */
export const ImportResultSchema = z.object({ docs: z.array(DocSummarySchema) }).meta({ id: 'ImportResult' });
export type ImportResult = z.infer<typeof ImportResultSchema>;
