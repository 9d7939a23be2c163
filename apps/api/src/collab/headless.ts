// Moved to domain/headless-doc.ts: the headless editor over a Y.Doc is the document model's, used by
// the body store and revisions as much as by collaboration. This re-export keeps the document
// modules that still import it from here compiling until they import it from domain/ (then delete it).
export * from '../domain/headless-doc.ts';
