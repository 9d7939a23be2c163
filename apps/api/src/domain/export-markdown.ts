/** A document as a file: its title as the first-level heading, then the body. */
export function exportMarkdown(title: string, markdown: string): string {
  const heading = `# ${title.replace(/([\\`*_[\]#<>])/g, '\\$1')}\n`;
  return markdown ? `${heading}\n${markdown}` : heading;
}

/** A safe ASCII file name for a title. */
export function fileNameFor(title: string): string {
  const base = title.normalize('NFKD').replace(/[^\w\s.-]/g, '').trim().replace(/\s+/g, '-').slice(0, 80) || 'document';
  return `${base}.md`;
}
