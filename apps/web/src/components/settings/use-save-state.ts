import { useState } from 'react';
import { ApiError } from '../../api/http.ts';
import { describeError } from '../describe-error.ts';

export type SaveResult =
  | { ok: true; message: string }
  /** `message` names the fields a 400 lists; `serverMessage` is the server's sentence alone. */
  | { ok: false; message: string; serverMessage: string; code: string | null }
  | null;

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
      const code = err instanceof ApiError ? err.code : null;
      const serverMessage = err instanceof Error ? err.message : String(err);
      setResult({ ok: false, message: describeError(err), serverMessage, code });
      return false;
    } finally {
      setPending(false);
    }
  }

  return { pending, result, run, clear: () => setResult(null) };
}
