import { ApiError } from '../api/http.ts';

/** A sentence for a failed form submission; names the fields when the server's 400 says which. */
export function describeError(err: unknown): string {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
  const fields = fieldNames(err.details);
  return fields.length > 0 && !fields.every((f) => err.message.includes(f))
    ? `${err.message} (check: ${fields.join(', ')})`
    : err.message;
}

function fieldNames(details: unknown): string[] {
  if (Array.isArray(details)) {
    return details.flatMap((d: unknown) => {
      if (typeof d !== 'object' || d === null) return [];
      const { field, path } = d as { field?: unknown; path?: unknown };
      if (typeof field === 'string') return [field];
      if (Array.isArray(path)) return [path.join('.')];
      return typeof path === 'string' ? [path] : [];
    });
  }
  if (typeof details === 'object' && details !== null) {
    const { fieldErrors } = details as { fieldErrors?: unknown };
    const source = typeof fieldErrors === 'object' && fieldErrors !== null ? fieldErrors : details;
    return Object.keys(source);
  }
  return [];
}
