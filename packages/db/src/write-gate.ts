import type { Client, InArgs, InStatement, Transaction, TransactionMode } from '@libsql/client';

/**
 * Serializes writes to a local libSQL file within this process.
 *
 * libSQL's local connections are synchronous: when one pooled connection holds an open write
 * transaction (waiting on the event loop for its next statement) and another connection starts a
 * write, SQLite's busy handler sleeps *on the event loop thread* — which the first transaction
 * needs in order to finish — for the whole busy timeout, and then fails. So every write (an
 * autocommit statement, a write batch, a write transaction) waits here for the previous one to
 * end. Reads never wait: in WAL mode they do not block on writers. Across processes, SQLite's
 * own lock and busy timeout still apply.
 */
export function gateWrites(client: Client, waitLimitMs = 60_000): Client {
  let tail: Promise<void> = Promise.resolve();

  async function acquire(): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const previous = tail;
    tail = previous.then(() => mine);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`waited ${waitLimitMs} ms for the database write lock`)), waitLimitMs);
      timer.unref();
    });
    try {
      await Promise.race([previous, timeout]);
    } catch (err) {
      // Give our turn away once it comes, so the queue keeps moving.
      void previous.then(release);
      throw err;
    } finally {
      clearTimeout(timer);
    }
    let released = false;
    return () => {
      if (!released) {
        released = true;
        release();
      }
    };
  }

  const isRead = (stmt: InStatement | string) => {
    const sql = typeof stmt === 'string' ? stmt : stmt.sql;
    return /^\s*(select|with|explain)\b/i.test(sql) || /^\s*pragma\s+[\w.]+\s*;?\s*$/i.test(sql);
  };

  async function gated<T>(fn: () => Promise<T>): Promise<T> {
    const release = await acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }

  function wrapTransaction(tx: Transaction, release: () => void): Transaction {
    return new Proxy(tx, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop === 'commit' || prop === 'rollback') {
          return async () => {
            try {
              return await (value as () => Promise<void>).call(target);
            } finally {
              release();
            }
          };
        }
        if (prop === 'close') {
          return () => {
            try {
              (value as () => void).call(target);
            } finally {
              release();
            }
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      switch (prop) {
        case 'execute':
          return (stmt: InStatement | string, args?: InArgs) => {
            const run = () => (typeof stmt === 'string' ? target.execute(stmt, args) : target.execute(stmt));
            return isRead(stmt) ? run() : gated(run);
          };
        case 'batch':
          return (stmts: InStatement[], mode?: TransactionMode) =>
            mode === 'read' ? target.batch(stmts, mode) : gated(() => target.batch(stmts, mode));
        case 'executeMultiple':
          return (sql: string) => gated(() => target.executeMultiple(sql));
        case 'migrate':
          return (stmts: InStatement[]) => gated(() => target.migrate(stmts));
        case 'transaction':
          return async (mode?: TransactionMode) => {
            if (mode === 'read') return target.transaction(mode);
            const release = await acquire();
            try {
              return wrapTransaction(await target.transaction(mode), release);
            } catch (err) {
              release();
              throw err;
            }
          };
        default:
          return typeof value === 'function' ? value.bind(target) : value;
      }
    },
  });
}
