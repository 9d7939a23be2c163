/**
 * The chat message of a morning brief (issue 11): the body POSTed to a Slack incoming webhook.
 * Mattermost accepts the same body (it reads `text` and ignores `blocks`), and Microsoft Teams'
 * classic connector reads `text` too, so `text` is a complete message on its own, not a stub.
 *
 * Slack's limits are respected here rather than discovered as a 400 at 7 a.m.: at most 50 blocks,
 * at most 3000 characters of section text, at most 150 characters of header. Items that do not fit
 * are folded into "and N more" with a link to the whole brief.
 *
 * Slack's mrkdwn treats `&`, `<` and `>` as control characters (`<url|label>` is a link,
 * `<!channel>` pings everyone), so every piece of user text is escaped as Slack asks: `&amp;`,
 * `&lt;`, `&gt;`. A document titled `<!channel>` stays text.
 */

import type { ChatBrief, ChatBriefItem } from '../../domain/delivery-ports.ts';

export interface ChatPayload {
  text: string;
  blocks: unknown[];
}

const MAX_BLOCKS = 50;
const MAX_SECTION_TEXT = 3000;
const MAX_HEADER_TEXT = 150;
/** Slack truncates `text` at 40,000 characters but advises 4,000; notifications show far less. */
const MAX_FALLBACK_TEXT = 4000;
const MAX_TITLE = 120;
const MAX_REASONS = 100;
const MAX_SUMMARY = 300;
/** Header, greeting, "and N more" and the link to the whole brief. */
const FIXED_BLOCKS = 4;

export function chatPayload(brief: ChatBrief): ChatPayload {
  const shownItems = brief.items.slice(0, MAX_BLOCKS - FIXED_BLOCKS);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: shorten(brief.headline, MAX_HEADER_TEXT), emoji: true } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `Morning brief for *${escapeMrkdwn(shorten(brief.readerName, 100))}*` }] },
    ...shownItems.map((item) => ({ type: 'section', text: { type: 'mrkdwn', text: itemSection(item) } })),
  ];
  const moreInBlocks = brief.omitted + (brief.items.length - shownItems.length);
  if (moreInBlocks > 0) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: andMore(moreInBlocks) }] });
  }
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: link(brief.briefUrl, 'Open the whole brief') } });

  return { text: fallbackText(brief), blocks };
}

/** One item as section text: the bold linked title, the reasons, the summary; ≤ 3000 characters. */
function itemSection(item: ChatBriefItem): string {
  const title = shorten(item.title, MAX_TITLE);
  const rest = [
    item.reasons.length > 0 ? `_${escapeMrkdwn(shorten(item.reasons.join(' · '), MAX_REASONS))}_` : '',
    escapeMrkdwn(shorten(item.summary, MAX_SUMMARY)),
  ]
    .filter((line) => line !== '')
    .join('\n');
  const withLink = `*${link(item.url, title)}*\n${rest}`;
  // The bounded title, reasons and summary fit even fully escaped (5 characters per `&`); only a
  // very long URL can push the section over, and then the title goes without its link.
  return withLink.length <= MAX_SECTION_TEXT ? withLink.trimEnd() : `*${escapeMrkdwn(title)}*\n${rest}`.trimEnd();
}

/** The plain message for notifications, Mattermost and Teams: the headline and one line per item. */
function fallbackText(brief: ChatBrief): string {
  const head = `${shorten(brief.headline, MAX_HEADER_TEXT)}\nMorning brief for ${shorten(brief.readerName, 100)}`;
  const tail = (more: number) =>
    more > 0 ? `${andMore(more)}: ${link(brief.briefUrl, 'the whole brief')}` : link(brief.briefUrl, 'Open the whole brief');

  const lines: string[] = [];
  let length = escapeMrkdwn(head).length;
  for (const item of brief.items) {
    const line = `• ${link(item.url, shorten(item.title, MAX_TITLE))}${
      item.reasons.length > 0 ? ` (${escapeMrkdwn(shorten(item.reasons.join(', '), MAX_REASONS))})` : ''
    }`;
    // Keep room for the "and N more" line (well under 200 characters plus the brief's URL).
    if (length + line.length + 1 + 200 + brief.briefUrl.length > MAX_FALLBACK_TEXT) break;
    lines.push(line);
    length += line.length + 1;
  }
  const more = brief.omitted + (brief.items.length - lines.length);
  return [escapeMrkdwn(head), ...lines, tail(more)].join('\n');
}

function andMore(count: number): string {
  return `…and ${count} more ${count === 1 ? 'change' : 'changes'}`;
}

/** Escapes the three characters Slack's mrkdwn reserves. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * `<url|label>`. Inside the angle brackets `|` ends the URL and `>` ends the link, so those (and
 * `<`, spaces) are percent-encoded in the URL; `&` is escaped like everywhere else, which Slack
 * undoes. A URL that is not http(s) is shown as plain text, never as a link.
 */
function link(url: string, label: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return escapeMrkdwn(label);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return escapeMrkdwn(label);
  const safeUrl = escapeMrkdwn(parsed.href.replace(/[|<> ]/g, (character) => encodeURIComponent(character)));
  return `<${safeUrl}|${escapeMrkdwn(label)}>`;
}

/** Cuts text to `max` characters (code points, so no emoji is split), ending with "…". */
function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const characters = Array.from(flat);
  if (characters.length <= max) return flat;
  return `${characters.slice(0, max - 1).join('').trimEnd()}…`;
}
