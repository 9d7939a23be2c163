import { useState } from 'react';
import { describeError } from '../describe-error.ts';

export type SaveResult = { ok: true; message: string } | { ok: false; message: string; code: string | null } | null;

/** One section's save: pending while it runs, then "saved" or the server's sentence. */
export function useSaveState() {
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<SaveResult>(null);

  async function run(action: () => Promise<unknown>, saved = 'Saved.'): Promise<boolean> {
    setPending(true);
    setResult(null);
    try {
      await action();
      setResult({ ok: true, message: saved });
      return true;
    } catch (err) {
      const code = typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : null;
      setResult({ ok: false, message: describeError(err), code });
      return false;
    } finally {
      setPending(false);
    }
  }

  return { pending, result, run, clear: () => setResult(null) };
}
