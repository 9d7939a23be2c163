// The API can start and stop watching but does not (yet) say whether the caller watches something,
// so the browser remembers what this person last chose here. Unknown means "not watching".

const KEY = 'handoff:watching';

function read(): Record<string, boolean> {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    return typeof value === 'object' && value !== null ? (value as Record<string, boolean>) : {};
  } catch {
    return {};
  }
}

export function rememberedWatch(userId: string, target: string): boolean {
  return read()[`${userId}:${target}`] === true;
}

export function rememberWatch(userId: string, target: string, on: boolean): void {
  const all = read();
  if (on) all[`${userId}:${target}`] = true;
  else delete all[`${userId}:${target}`];
  try {
    localStorage.setItem(KEY, JSON.stringify(all));
  } catch {
    // private mode: the toggle still works for this page
  }
}
