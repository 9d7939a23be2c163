import { fromMarkdown } from 'mdast-util-from-markdown';
import type { Nodes } from 'mdast';
import { DateTime } from 'luxon';
import type { BriefPage } from '../../domain/brief-store.ts';

const FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif";
const STYLE: Record<string, string> = {
  body: `margin:0;padding:24px 12px;background:#f5f5f4;color:#1c1917;${FONT};font-size:15px;line-height:1.55`,
  card: 'max-width:640px;margin:0 auto;background:#ffffff;border:1px solid #e7e5e4;border-radius:8px;padding:24px 28px',
  h1: 'font-size:22px;line-height:1.3;margin:0 0 4px',
  h2: 'font-size:18px;line-height:1.3;margin:28px 0 8px;padding-bottom:4px;border-bottom:1px solid #e7e5e4',
  h3: 'font-size:16px;line-height:1.35;margin:20px 0 6px',
  h4: 'font-size:15px;margin:16px 0 4px',
  p: 'margin:0 0 10px',
  ul: 'margin:0 0 10px;padding-left:22px',
  ol: 'margin:0 0 10px;padding-left:22px',
  li: 'margin:0 0 4px',
  blockquote: 'margin:0 0 10px;padding:2px 0 2px 12px;border-left:3px solid #d6d3d1;color:#57534e',
  pre: 'margin:0 0 10px;padding:10px;background:#f5f5f4;border-radius:4px;white-space:pre-wrap;font-size:13px',
  code: 'font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;background:#f5f5f4;padding:1px 3px;border-radius:3px',
  a: 'color:#1d4ed8;text-decoration:underline',
  hr: 'border:0;border-top:1px solid #e7e5e4;margin:20px 0',
  meta: 'color:#78716c;font-size:13px;margin:0 0 16px',
  footer: 'color:#78716c;font-size:12px;margin:24px 0 0',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The link target if it points into Handoff itself, else null. */
export function handoffHref(url: string, publicUrl?: string): string | null {
  const base = publicUrl?.replace(/(?<!\/)\/+$/, '');
  // eslint-disable-next-line no-control-regex -- rejecting control characters (and blanks, DEL, backslashes) in a link target is the point
  if (/[\u0000-\u0020\u007f\\]/.test(url)) return null;
  if (url.startsWith('/') && !url.startsWith('//')) return base ? `${base}${url}` : url;
  if (base && (url === base || url.startsWith(`${base}/`))) return url;
  return null;
}

function render(node: Nodes, publicUrl: string | undefined): string {
  const kids = () => ('children' in node ? (node.children as Nodes[]).map((n) => render(n, publicUrl)).join('') : '');
  switch (node.type) {
    case 'root':
      return kids();
    case 'heading': {
      const tag = `h${Math.min(4, Math.max(2, node.depth + 1))}`;
      return `<${tag} style="${STYLE[tag]}">${kids()}</${tag}>`;
    }
    case 'paragraph':
      return `<p style="${STYLE.p}">${kids()}</p>`;
    case 'list': {
      const tag = node.ordered ? 'ol' : 'ul';
      return `<${tag} style="${STYLE[tag]}">${kids()}</${tag}>`;
    }
    case 'listItem': {
      // Tight items: their paragraphs without margins.
      const inner = node.children.map((child) => (child.type === 'paragraph' && !node.spread ? (child.children as Nodes[]).map((n) => render(n, publicUrl)).join('') : render(child, publicUrl))).join('');
      return `<li style="${STYLE.li}">${inner}</li>`;
    }
    case 'blockquote':
      return `<blockquote style="${STYLE.blockquote}">${kids()}</blockquote>`;
    case 'code':
      return `<pre style="${STYLE.pre}">${escapeHtml(node.value)}</pre>`;
    case 'inlineCode':
      return `<code style="${STYLE.code}">${escapeHtml(node.value)}</code>`;
    case 'emphasis':
      return `<em>${kids()}</em>`;
    case 'strong':
      return `<strong>${kids()}</strong>`;
    case 'break':
      return '<br>';
    case 'thematicBreak':
      return `<hr style="${STYLE.hr}">`;
    case 'text':
      return escapeHtml(node.value);
    case 'html':
      return escapeHtml(node.value);
    case 'link': {
      const href = handoffHref(node.url, publicUrl);
      return href ? `<a href="${escapeHtml(href)}" style="${STYLE.a}">${kids()}</a>` : kids();
    }
    case 'image':
      return node.alt ? escapeHtml(node.alt) : '';
    case 'linkReference':
      return kids();
    case 'imageReference':
      return node.alt ? escapeHtml(node.alt) : '';
    case 'definition':
      return '';
    default:
      return kids();
  }
}

/**
 * A brief as an e-mail-ready HTML page: inline CSS only (mail clients drop <style>), every text
 * HTML-escaped, raw HTML in the Markdown shown as text, no images, and links only to Handoff
 * itself (relative `/…` paths, made absolute with the public URL when there is one); any other
 * link keeps its text and loses its target. Parsed as plain CommonMark (no GFM), so bare URLs in
 * the text stay text.
 */
export function renderBriefHtml(input: BriefPage): string {
  const body = render(fromMarkdown(input.markdown), input.publicUrl);
  let until = DateTime.fromMillis(input.until, { zone: input.timezone });
  if (!until.isValid) until = DateTime.fromMillis(input.until, { zone: 'UTC' });
  const minutes = Math.max(1, Math.round(input.readingSeconds / 60));
  const home = handoffHref('/', input.publicUrl) ?? '/';
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>Your Handoff brief</title></head>`,
    `<body style="${STYLE.body}"><div style="${STYLE.card}">`,
    `<h1 style="${STYLE.h1}">Your brief, ${escapeHtml(input.readerName)}</h1>`,
    `<p style="${STYLE.meta}">${escapeHtml(until.setLocale('en-GB').toFormat('cccc d LLLL yyyy, HH:mm'))} (${escapeHtml(until.zoneName ?? 'UTC')}) · about ${minutes} min to read</p>`,
    body,
    `<p style="${STYLE.footer}">Written by the ${input.writer === 'llm' ? 'LLM' : 'extractive'} writer of <a href="${escapeHtml(home)}" style="${STYLE.a}">Handoff</a>.</p>`,
    '</div></body></html>',
  ].join('\n');
}
