/** One live update to append to a document's log. */
export interface LogEntry {
  docId: string;
  update: Uint8Array;
  userId: string | null;
}

export interface GroupCommit {
  /** Resolves once `entry` is durably in the log (in the order of calls), rejects if its batch failed. */
  append(entry: LogEntry): Promise<void>;
  /** Resolves once everything appended before this call was written (or failed). */
  barrier(): Promise<void>;
  /** Entries waiting for or in a write. */
  readonly pending: number;
}

export interface GroupCommitOptions {
  /** Most entries written in one batch (default 256). */
  maxEntries?: number;
  /** Most update bytes written in one batch (default 8 MB; a larger single entry goes alone). */
  maxBytes?: number;
}

interface Waiting {
  entry: LogEntry;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit of live updates: while one write is in flight (behind the database write gate, e.g.
 * waiting for REST transactions), updates from every socket queue up; as soon as it ends, all of
 * them are written together in one statement, and each is acknowledged only after that. So the
 * cost of waiting for the gate is paid once per batch, not once per keystroke, and no update is
 * acknowledged before it is stored. Batches are written one after another, in arrival order.
 */
export function createGroupCommit(write: (entries: LogEntry[]) => Promise<unknown>, options: GroupCommitOptions = {}): GroupCommit {
  const maxEntries = options.maxEntries ?? 256;
  const maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
  let queue: Waiting[] = [];
  let running: Promise<void> | null = null;
  let last: Promise<void> = Promise.resolve();

  function take(): Waiting[] {
    let bytes = 0;
    let n = 0;
    while (n < queue.length && n < maxEntries) {
      const size = queue[n]!.entry.update.byteLength;
      if (n > 0 && bytes + size > maxBytes) break;
      bytes += size;
      n++;
    }
    const batch = queue.slice(0, n);
    queue = queue.slice(n);
    return batch;
  }

  async function drain() {
    // Messages handled in this same task join the first batch; later ones wait for the next.
    await Promise.resolve();
    while (queue.length) {
      const batch = take();
      try {
        await write(batch.map((w) => w.entry));
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    running = null;
  }

  return {
    append(entry) {
      const done = new Promise<void>((resolve, reject) => queue.push({ entry, resolve, reject }));
      last = done.catch(() => undefined);
      running ??= drain();
      return done;
    },
    barrier() {
      return queue.length || running ? last : Promise.resolve();
    },
    get pending() {
      return queue.length;
    },
  };
}
