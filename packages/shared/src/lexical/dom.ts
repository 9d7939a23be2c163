/**
 * The few DOM calls the image and file nodes make. The shared tsconfig has no DOM lib (this
 * package also runs on the server), so the DOM is reached through these minimal types; the
 * functions are only called where Lexical renders or exports to a real (or happy-dom) document.
 */
export interface DomElement {
  readonly tagName: string;
  className: string;
  textContent: string | null;
  setAttribute(name: string, value: string): void;
  getAttribute(name: string): string | null;
  append(...nodes: Array<DomElement | string>): void;
  querySelector(selector: string): DomElement | null;
}

interface DomDocument {
  createElement(tag: string): DomElement;
}

export function createElement(tag: string, className?: string): DomElement {
  const { document } = globalThis as unknown as { document: DomDocument };
  const element = document.createElement(tag);
  if (className) element.className = className;
  return element;
}
