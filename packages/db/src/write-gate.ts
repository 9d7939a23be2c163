import { AsyncLocalStorage } from 'node:async_hooks';
import type { Client, InArgs, InStatement, Transaction, TransactionMode } from '@libsql/client';

const priority = new AsyncLocalStorage<true>();

/**
 * Runs `fn` with its writes in the write gate's priority lane: they go before waiting ordinary
 * writes, but never twice in a row while an ordinary write waits (so neither lane starves). For
 * short hot-path writes that someone waits on interactively — live collaboration appends, which
 * otherwise queue behind every REST transaction.
 */
export function withWritePriority<T>(fn: () => Promise<T>): Promise<T> {
  return priority.run(true, fn);
}

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
  interface Waiter {
    urgent: boolean;
    grant: () => void;
  }
  let held = false;
  /** The last holder was in the priority lane: the next turn goes to an ordinary write, if one waits. */
  let lastUrgent = false;
  const waiting: Waiter[] = [];

  function next() {
    if (!waiting.length) {
      held = false;
      lastUrgent = false;
      return;
    }
    let i = 0;
    if (!lastUrgent) {
      const u = waiting.findIndex((w) => w.urgent);
      if (u >= 0) i = u;
    }
    const [w] = waiting.splice(i, 1);
    lastUrgent = w!.urgent;
    w!.grant();
  }

  async function acquire(): Promise<() => void> {
    const urgent = priority.getStore() === true;
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        next();
      }
    };
    if (!held) {
      held = true;
      lastUrgent = urgent;
      return release;
    }
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        urgent,
        grant: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      waiting.push(waiter);
      timer = setTimeout(() => {
        const at = waiting.indexOf(waiter);
        if (at >= 0) waiting.splice(at, 1);
        reject(new Error(`waited ${waitLimitMs} ms for the database write lock`));
      }, waitLimitMs);
      timer.unref();
    });
    return release;
  }

  const isRead = (stmt: InStatement | string) => {
    const sql = typeof stmt === 'string' ? stmt : stmt.sql;
    return /^\s*(select|with|explain)\b/i.test(sql) || /^\s*pragma\s+[\w.]+\s*(?:;\s*)?$/i.test(sql);
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
