// The one pop-up list behind the "/" block menu, "@" mentions and "[[" document links.

import { MenuOption, type MenuRenderFn } from '@lexical/react/LexicalTypeaheadMenuPlugin';
import { $createTextNode, type LexicalNode, type TextNode } from 'lexical';
import type { ReactNode } from 'react';
import { createPortal } from 'react-dom';

/** One entry of a typeahead menu: a label, an optional hint on the right and an icon. */
export class EditorMenuOption extends MenuOption {
  constructor(
    key: string,
    readonly label: string,
    readonly extra: { hint?: string; icon?: ReactNode; keywords?: readonly string[] } = {},
  ) {
    super(key);
  }

  /** Whether the option fits what was typed after the trigger (case-insensitive, any word). */
  matches(query: string): boolean {
    const q = query.trim().toLowerCase();
    if (q === '') return true;
    return [this.label, this.extra.hint ?? '', ...(this.extra.keywords ?? [])].some((text) =>
      text.toLowerCase().includes(q),
    );
  }
}

/**
 * A `menuRenderFn` for LexicalTypeaheadMenuPlugin: a listbox anchored at the caret. `kind`
 * names the menu for styling and tests (`data-menu="slash" | "mention" | "doc-link"`); `empty`
 * is shown when nothing matches (null: the menu hides).
 */
export function renderTypeaheadMenu<T extends EditorMenuOption>(
  kind: string,
  empty: string | null = null,
): MenuRenderFn<T> {
  return (anchorElementRef, { selectedIndex, selectOptionAndCleanUp, setHighlightedIndex, options }) => {
    const anchor = anchorElementRef.current;
    if (!anchor || (options.length === 0 && empty === null)) return null;
    return createPortal(
      <div className="typeahead" data-menu={kind} data-testid={`typeahead-${kind}`}>
        {options.length === 0 ? (
          <p className="typeahead-empty muted">{empty}</p>
        ) : (
          <ul role="listbox" aria-label={kind}>
            {options.map((option, index) => (
              <li
                key={option.key}
                ref={(el) => option.setRefElement(el)}
                role="option"
                id={`typeahead-${kind}-${index}`}
                aria-selected={selectedIndex === index}
                className="typeahead-item"
                data-key={option.key}
                tabIndex={-1}
                onMouseEnter={() => setHighlightedIndex(index)}
                onMouseDown={(event) => event.preventDefault()} // keep the caret in the editor
                onClick={() => {
                  setHighlightedIndex(index);
                  selectOptionAndCleanUp(option);
                }}
              >
                {option.extra.icon !== undefined && (
                  <span className="typeahead-icon" aria-hidden="true">
                    {option.extra.icon}
                  </span>
                )}
                <span className="typeahead-label">{option.label}</span>
                {option.extra.hint && <span className="typeahead-hint muted">{option.extra.hint}</span>}
              </li>
            ))}
          </ul>
        )}
      </div>,
      anchor,
    );
  };
}

/**
 * Puts a chosen typeahead result (a mention, a document link) in place of the typed trigger text,
 * followed by a space with the caret behind it, so typing goes on as plain text. Run inside
 * `editor.update()`.
 */
export function $insertTypeaheadResult(typed: TextNode | null, node: LexicalNode): void {
  if (!typed) return;
  typed.replace(node);
  const space = $createTextNode(' ');
  node.insertAfter(space);
  space.select(1, 1);
}
