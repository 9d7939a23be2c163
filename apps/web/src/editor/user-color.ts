// A person's colour for cursors and presence: the same on every screen and every visit, derived
// from their user id alone.

/** FNV-1a over the UTF-16 code units: small, fast and well spread for short ids. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A saturated mid-lightness colour that reads on light and dark backgrounds alike. */
export function userColor(userId: string): string {
  const hue = hash(userId) % 360;
  return `hsl(${hue} 70% 45%)`;
}

/** Up to two initials for an avatar: "Lena Vogel" → "LV". */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '?';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}
