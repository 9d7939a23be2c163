import type { DocEngine } from '../domain/doc-engine.ts';
import type { CommandContext } from './transaction.ts';

/** What the document commands need: the command context plus the document engine (body writes). */
export interface DocContext extends CommandContext {
  docs: DocEngine;
}
