import { $createDocLinkNode } from '@handoff/shared/lexical';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { LexicalTypeaheadMenuPlugin, type MenuTextMatch } from '@lexical/react/LexicalTypeaheadMenuPlugin';
import { $createTextNode, type TextNode } from 'lexical';
import { useCallback, useMemo, useState } from 'react';
import type { DocSummary } from '../../api/model.ts';
import { useLinkableDocs } from '../../api/queries.ts';
import { $selectionInCode } from '../block-commands.ts';
import { $insertTypeaheadResult, EditorMenuOption, renderTypeaheadMenu } from '../TypeaheadMenu.tsx';

class DocOption extends EditorMenuOption {
  constructor(readonly doc: DocSummary) {
    super(doc.id, doc.title || 'Untitled', {
      icon: doc.kind === 'decision' ? '◆' : '▤',
      hint: doc.kind === 'decision' ? 'Decision' : undefined,
    });
  }
}

const MAX_SHOWN = 10;

/** "[[" then any text (titles have spaces) up to the caret, on one line, without "]". */
const DOC_LINK_TRIGGER = /(^|[\s(])(\[\[([^\]\n\r]{0,80}))$/;

/** The "[[" trigger: the query is what follows it. */
export function matchDocLinkTrigger(text: string): MenuTextMatch | null {
  const match = DOC_LINK_TRIGGER.exec(text);
  if (!match) return null;
  const lead = match[1] ?? '';
  const replaceable = match[2] ?? '';
  return { leadOffset: match.index + lead.length, matchingString: match[3] ?? '', replaceableString: replaceable };
}

/** "[[" + part of a title: pick a document, get a link to it (a DocLinkNode titled like the document). */
export function DocLinksPlugin({ currentDocId }: { currentDocId: string }) {
  const [editor] = useLexicalComposerContext();
  const [query, setQuery] = useState<string | null>(null);

  // Documents are loaded when the menu opens (again after half a minute: see useLinkableDocs).
  const linkable = useLinkableDocs(query !== null);
  const docs = useMemo(
    () => (linkable.data ? linkable.data.filter((d) => d.id !== currentDocId) : linkable.isError ? [] : null),
    [linkable.data, linkable.isError, currentDocId],
  );

  const filter = useCallback(
    (q: string) => {
      const needle = q.trim().toLowerCase();
      return (docs ?? []).filter((d) => (d.title || 'Untitled').toLowerCase().includes(needle));
    },
    [docs],
  );

  const options = useMemo(
    () => (docs === null ? [] : filter(query ?? '').slice(0, MAX_SHOWN).map((d) => new DocOption(d))),
    [docs, filter, query],
  );

  const triggerFn = useCallback(
    (text: string) => {
      const match = $selectionInCode() ? null : matchDocLinkTrigger(text);
      if (!match || docs === null) return match;
      return filter(match.matchingString).length > 0 ? match : null;
    },
    [docs, filter],
  );

  const onSelectOption = useCallback(
    (option: DocOption, textNode: TextNode | null, closeMenu: () => void) => {
      editor.update(() => {
        const link = $createDocLinkNode(option.doc.id);
        link.append($createTextNode(option.doc.title || 'Untitled'));
        $insertTypeaheadResult(textNode, link);
      });
      closeMenu();
    },
    [editor],
  );

  const menuRenderFn = useMemo(
    () => renderTypeaheadMenu<DocOption>('doc-link', docs === null ? 'Loading documents…' : null),
    [docs],
  );

  return (
    <LexicalTypeaheadMenuPlugin<DocOption>
      onQueryChange={setQuery}
      onSelectOption={onSelectOption}
      triggerFn={triggerFn}
      options={options}
      menuRenderFn={menuRenderFn}
      anchorClassName="typeahead-anchor"
    />
  );
}
