import type { DocEngine } from '../domain/doc-engine.ts';
import type { Logger } from '../logger.ts';

export interface Compactor {
  /** Asks for `docId`'s log to be compacted soon (after a revision was written). */
  schedule(docId: string): void;
  /** Waits for the compaction under way and stops taking new ones. */
  stop(): Promise<void>;
}

/**
 * Compacts document logs in the background, one document at a time, never inside a request:
 * after a revision is written, the updates it includes are folded into the snapshot
 * (`DocEngine.compact`, which never touches updates newer than the latest revision).
 */
export function createCompactor(deps: { docs: Pick<DocEngine, 'compact'>; log: Logger; minUpdates?: number }): Compactor {
  const pending = new Set<string>();
  let running: Promise<void> | null = null;
  let stopped = false;

  async function drain() {
    while (pending.size && !stopped) {
      const docId = pending.values().next().value as string;
      pending.delete(docId);
      try {
        const folded = await deps.docs.compact(docId, deps.minUpdates);
        if (folded) deps.log.debug({ msg: 'compacted a document log', docId, folded });
      } catch (err) {
        deps.log.warn({ msg: 'compaction failed', docId, err });
      }
      // Each compaction starts in its own turn of the event loop.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    running = null;
  }

  return {
    schedule(docId) {
      if (stopped) return;
      pending.add(docId);
      running ??= new Promise<void>((resolve) => setImmediate(resolve)).then(drain);
    },
    async stop() {
      stopped = true;
      pending.clear();
      await running;
    },
  };
}
