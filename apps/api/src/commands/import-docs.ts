import { documents, eq, inArray, or, revisionAuthors, users } from '@handoff/db';
import type { ImportWarning } from '@handoff/shared/schemas';
import type { DocEngine } from '../domain/doc-engine.ts';
import { DomainError, tooLarge, unprocessable } from '../domain/errors.ts';
import type { DocDeleted } from '../domain/events.ts';
import { importBudget, INDEX_FILES, readImportFile, readZip, type ImportFile, type ReadImportFile } from '../domain/import-markdown.ts';
import type { DecisionInput } from '../domain/decisions.ts';
import type { DocRow, UserRow } from '../domain/model.ts';
import { inTransaction, type CommandContext } from './transaction.ts';

export interface ImportTarget {
  spaceId: string;
  parentId: string | null;
}

/** The engine as an import uses it (a test passes one that fails part-way). */
export type ImportContext = CommandContext & { docs: Pick<DocEngine, 'create'> };

export interface ImportUpload {
  /** The request's media type (without parameters). */
  contentType: string;
  /** The file name of a single Markdown file (its title when it has no leading heading). */
  fileName: string;
  body: Buffer;
  limits: { importEntries: number; importUncompressedBytes: number; bodyBytes: number; importUserBytes: number };
}

/** What an import created (parents first) and what it could not keep, file by file. */
export interface ImportReport {
  docs: DocRow[];
  warnings: ImportWarning[];
}

/**
 * An upload — one Markdown file or a zip of them — imported into a space (see `importFiles`). The
 * person's running imports share one budget of inflated bytes, held until this one ends.
 */
export async function importDocs(ctx: ImportContext, actor: UserRow, target: ImportTarget, upload: ImportUpload): Promise<ImportReport> {
  if (target.parentId) {
    const parent = await ctx.db.select({ spaceId: documents.spaceId }).from(documents).where(eq(documents.id, target.parentId)).get();
    if (parent?.spaceId !== target.spaceId) throw unprocessable('The parent document must be in the target space.', { field: 'parentId' });
  }
  const { limits, body } = upload;
  const lease = importBudget.lease(actor.id, limits.importUserBytes);
  try {
    let files: ImportFile[];
    if (upload.contentType === 'application/zip' || upload.contentType === 'application/x-zip-compressed') {
      files = await readZip(body, { entries: limits.importEntries, uncompressedBytes: limits.importUncompressedBytes, fileBytes: limits.bodyBytes, take: lease.take });
    } else if (upload.contentType === 'text/markdown' || upload.contentType === 'text/plain' || upload.contentType === 'text/x-markdown') {
      if (body.length > limits.bodyBytes) throw tooLarge('A Markdown file may be at most 2 MB.');
      lease.take(body.length);
      files = [{ path: [upload.fileName.replace(/[/\\]/g, '_')], markdown: body.toString('utf8').replaceAll('\u0000', '') }];
    } else {
      throw new DomainError('unsupported', 'unsupported_media_type', 'Send text/markdown or application/zip.');
    }
    if (files.length === 0) throw unprocessable('No Markdown files (.md) were found.');
    const warnings: ImportWarning[] = [];
    const docs = await importFiles(ctx, actor, target, files, undefined, warnings);
    return { docs, warnings };
  } finally {
    lease.release();
  }
}

/**
 * Creates documents for `files`: each folder becomes a document (with the body of its
 * index.md / README.md, if any) and the files in it become its children. Front matter becomes the
 * title, kind and decision record (owners matched by handle or e-mail) and the revision's message
 * (`why`), never body text; what could not be kept is pushed onto `warnings`, file by file.
 *
 * Each document is created in its own short transaction (`doc.created`), its Markdown parsed (in
 * the parser pool) before that transaction opens, so the database write lock is never held across
 * parsing and other people's writes go ahead between two documents. The import is still
 * all-or-nothing for the person importing: when any document fails, the ones this import already
 * created are deleted in one compensating transaction (`doc.deleted`; children that others added
 * to them meanwhile move up to the import's parent) and the error is passed on. A crash of the
 * process in the middle leaves the documents created so far (each complete), which the person can trash.
 */
export async function importFiles(
  ctx: ImportContext,
  actor: UserRow,
  target: ImportTarget,
  files: ImportFile[],
  onProgress?: (done: number, total: number) => void,
  warnings: ImportWarning[] = [],
): Promise<DocRow[]> {
  const sorted = [...files].sort((a, b) => a.path.join('/').localeCompare(b.path.join('/')));
  // A folder's index.md falls back to the folder's name for its title, any other file to its own name.
  const fallbackName = (f: ImportFile) => (f.path.length > 1 && INDEX_FILES.test(f.path.at(-1)!) ? f.path.at(-2)! : f.path.at(-1)!);
  const read = new Map(sorted.map((f) => [f, readImportFile(fallbackName(f), f.markdown)]));
  const people = await ownersByRef(ctx, [...read.values()].flatMap((r) => r.front.decision?.owners ?? []));
  const created: DocRow[] = [];
  const folders = new Map<string, string>();
  const create = async (parentId: string | null, file: ImportFile | null, title: string, content: ReadImportFile | null) => {
    const { front } = content ?? { front: null };
    const at = file?.path.join('/') ?? '';
    for (const message of front?.warnings ?? []) warnings.push({ file: at, code: 'front_matter', message });
    let decision: DecisionInput | undefined;
    if (front?.decision) {
      const unknown = front.decision.owners.filter((o) => !people.has(o.toLowerCase()));
      if (unknown.length) warnings.push({ file: at, code: 'unknown_owners', message: 'Some decision owners match nobody in this workspace; they were left out.', values: unknown });
      const owners = front.decision.owners.map((o) => people.get(o.toLowerCase())).filter((id): id is string => !!id);
      decision = { status: front.decision.status, owners, ...(front.decision.decidedAt !== undefined ? { decidedAt: front.decision.decidedAt } : {}) };
    }
    const doc = await ctx.docs.create(actor, {
      spaceId: target.spaceId,
      parentId,
      title,
      markdown: content?.markdown ?? '',
      kind: front?.kind ?? 'page',
      decision,
      message: front?.why ?? null,
    });
    created.push(doc);
    return doc;
  };
  const folderDoc = async (parts: string[]): Promise<string | null> => {
    if (parts.length === 0) return target.parentId;
    const key = parts.join('/');
    const existing = folders.get(key);
    if (existing) return existing;
    const parentId = await folderDoc(parts.slice(0, -1));
    const index = sorted.find((f) => f.path.length === parts.length + 1 && f.path.slice(0, -1).join('/') === key && INDEX_FILES.test(f.path.at(-1)!));
    const name = parts.at(-1)!;
    const content = index ? read.get(index)! : null;
    const doc = await create(parentId, index ?? null, content?.title ?? name, content);
    folders.set(key, doc.id);
    return doc.id;
  };
  try {
    let done = 0;
    for (const file of sorted) {
      const folder = file.path.slice(0, -1);
      const name = file.path.at(-1)!;
      if (folder.length > 0 && INDEX_FILES.test(name)) {
        await folderDoc(folder);
      } else {
        const content = read.get(file)!;
        await create(await folderDoc(folder), file, content.title, content);
      }
      onProgress?.(++done, sorted.length);
    }
  } catch (err) {
    await undoImport(ctx, actor, target, created.map((d) => d.id));
    throw err;
  }
  return created;
}

/** The people that front matter's owners (handles, with or without `@`, or e-mail addresses) name, by lower-cased reference. */
async function ownersByRef(ctx: CommandContext, refs: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(refs.map((r) => r.toLowerCase()))];
  const out = new Map<string, string>();
  for (let i = 0; i < wanted.length; i += 500) {
    const batch = wanted.slice(i, i + 500);
    const rows = await ctx.db.select({ id: users.id, handle: users.handle, email: users.email }).from(users).where(or(inArray(users.handle, batch), inArray(users.email, batch))).all();
    for (const u of rows) {
      out.set(u.handle.toLowerCase(), u.id);
      out.set(u.email.toLowerCase(), u.id);
    }
  }
  return out;
}

/**
 * The compensating step of a failed import: deletes the documents it created (their revisions,
 * body logs, decisions and mentions go with them) in one short transaction, with a `doc.deleted`
 * for each (search drops them; the read cache forgets them).
 */
async function undoImport(ctx: CommandContext, actor: UserRow, target: ImportTarget, ids: string[]) {
  if (!ids.length) return;
  await inTransaction(ctx, async (tx, emit) => {
    for (let i = 0; i < ids.length; i += 500) {
      const batch = ids.slice(i, i + 500);
      await tx.update(documents).set({ parentId: target.parentId }).where(inArray(documents.parentId, batch));
      await tx.delete(revisionAuthors).where(inArray(revisionAuthors.docId, batch));
      await tx.delete(documents).where(inArray(documents.id, batch));
      for (const docId of batch) emit({ topic: 'doc.deleted', docId, spaceId: target.spaceId, actor: actor.id, reason: 'import-failed' } satisfies DocDeleted);
    }
  });
}
