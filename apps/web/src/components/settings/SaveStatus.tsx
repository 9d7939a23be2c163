import type { SaveResult } from './use-save-state.ts';

/**
 * A section's outcome: the success line beside its button (`role="status"`), or, with
 * `errorOnly`, the server's sentence under the form (`role="alert"`).
 */
export function SaveStatus({ result, testId, errorOnly = false }: { result: SaveResult; testId?: string; errorOnly?: boolean }) {
  if (!result) return null;
  if (errorOnly) {
    return result.ok ? null : (
      <p role="alert" className="error" data-testid={testId}>
        {result.message}
      </p>
    );
  }
  return result.ok ? (
    <span role="status" className="save-ok" data-testid={testId}>
      {result.message}
    </span>
  ) : null;
}
