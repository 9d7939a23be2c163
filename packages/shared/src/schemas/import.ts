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

/** Something an import could not keep as it was, for one file (the file is still imported). */
export const ImportWarningSchema = z
  .object({
    file: z.string().meta({ description: 'The path of the file in the upload (folders joined with /).' }),
    code: z.enum(['front_matter', 'unknown_owners']),
    message: z.string(),
    values: z.array(z.string()).optional().meta({ description: 'unknown_owners: the handles or e-mail addresses that match nobody.' }),
  })
  .meta({ id: 'ImportWarning' });
export type ImportWarning = z.infer<typeof ImportWarningSchema>;

/** The documents created, parents before children, and what the import could not keep. */
export const ImportResultSchema = z.object({ docs: z.array(DocSummarySchema), warnings: z.array(ImportWarningSchema) }).meta({ id: 'ImportResult' });
export type ImportResult = z.infer<typeof ImportResultSchema>;
