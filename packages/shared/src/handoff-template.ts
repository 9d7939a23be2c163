/**
 * The fixed structure of a handoff note (`kind: "handoff"`): the editor offers it as a template and
 * the server gives it to a note created without Markdown. The server also reads the sections back
 * (asks from "Blocked on" and "Decisions needed", counts for the handoff log), matching headings of
 * any level case-insensitively.
 */
export const HANDOFF_SECTIONS = [
  { key: 'done', heading: 'Done' },
  { key: 'next', heading: 'In progress / next' },
  { key: 'blocked', heading: 'Blocked on' },
  { key: 'decisions', heading: 'Decisions needed' },
  { key: 'to', heading: 'Handing over to' },
] as const;

export type HandoffSectionKey = (typeof HANDOFF_SECTIONS)[number]['key'];

const HEADING_KEYS: Record<string, HandoffSectionKey> = {
  done: 'done',
  'in progress / next': 'next',
  'in progress/next': 'next',
  'in progress': 'next',
  next: 'next',
  'blocked on': 'blocked',
  blocked: 'blocked',
  'decisions needed': 'decisions',
  'decision needed': 'decisions',
  'handing over to': 'to',
};

/** Which section a heading's text opens ("Blocked on", "BLOCKED ON:", …), or null for any other heading. */
export function handoffSectionOf(heading: string): HandoffSectionKey | null {
  let text = heading.slice(0, 100).trim();
  while (text.endsWith(':')) text = text.slice(0, -1).trimEnd();
  const key = text.split(/\s/).filter(Boolean).join(' ').toLowerCase();
  return HEADING_KEYS[key] ?? null;
}

/**
 * A handoff note's Markdown: each section's heading with its items as a bullet list (an empty
 * bullet when it has none, for the author to fill in). Items are Markdown, one line each.
 */
export function handoffMarkdown(items: Partial<Record<HandoffSectionKey, readonly string[]>> = {}): string {
  return HANDOFF_SECTIONS.map(({ key, heading }) => {
    const list = (items[key] ?? []).map((item) => item.split('\n').map((line) => line.trim()).filter(Boolean).join(' ')).filter(Boolean);
    return `## ${heading}\n\n${list.length ? list.map((item) => `- ${item}`).join('\n') : '-'}\n`;
  }).join('\n');
}

/** The empty template (what a handoff note created without Markdown holds). */
export const HANDOFF_TEMPLATE_MARKDOWN = handoffMarkdown();
