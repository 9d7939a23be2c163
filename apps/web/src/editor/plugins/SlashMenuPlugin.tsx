import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { LexicalTypeaheadMenuPlugin, useBasicTypeaheadTriggerMatch } from '@lexical/react/LexicalTypeaheadMenuPlugin';
import { $createTextNode, $getSelection, $isRangeSelection, type LexicalEditor, type TextNode } from 'lexical';
import { useCallback, useMemo, useState } from 'react';
import {
  $selectionInCode,
  OPEN_LINK_EDITOR_COMMAND,
  insertDivider,
  insertTable,
  setBlockType,
  type BlockType,
} from '../block-commands.ts';
import { EditorMenuOption, renderTypeaheadMenu } from '../TypeaheadMenu.tsx';

class SlashOption extends EditorMenuOption {
  constructor(
    key: string,
    label: string,
    extra: { hint?: string; icon?: string; keywords?: readonly string[] },
    readonly run: (editor: LexicalEditor) => void,
  ) {
    super(key, label, extra);
  }
}

const block = (type: BlockType) => (editor: LexicalEditor) => setBlockType(editor, type);

/** Types `text` at the caret, so that another menu (mentions, document links) opens. */
const typeTrigger = (text: string) => (editor: LexicalEditor) =>
  editor.update(() => {
    const selection = $getSelection();
    if ($isRangeSelection(selection)) selection.insertNodes([$createTextNode(text)]);
  });

/** Every kind of node a document can hold. */
const OPTIONS: SlashOption[] = [
  new SlashOption('paragraph', 'Text', { icon: '¶', keywords: ['paragraph', 'plain'] }, block('paragraph')),
  new SlashOption('h1', 'Heading 1', { icon: 'H1', hint: '#', keywords: ['title', 'heading'] }, block('h1')),
  new SlashOption('h2', 'Heading 2', { icon: 'H2', hint: '##', keywords: ['subtitle', 'heading'] }, block('h2')),
  new SlashOption('h3', 'Heading 3', { icon: 'H3', hint: '###', keywords: ['heading'] }, block('h3')),
  new SlashOption('bullet', 'Bulleted list', { icon: '•', hint: '-', keywords: ['unordered', 'ul', 'list'] }, block('bullet')),
  new SlashOption('number', 'Numbered list', { icon: '1.', hint: '1.', keywords: ['ordered', 'ol', 'list'] }, block('number')),
  new SlashOption('check', 'Check list', { icon: '☑', hint: '[ ]', keywords: ['todo', 'task', 'checkbox'] }, block('check')),
  new SlashOption('quote', 'Quote', { icon: '❝', hint: '>', keywords: ['blockquote', 'citation'] }, block('quote')),
  new SlashOption('code', 'Code block', { icon: '</>', hint: '```', keywords: ['snippet', 'pre'] }, block('code')),
  new SlashOption('table', 'Table', { icon: '▦', keywords: ['grid', 'rows', 'columns'] }, (e) => insertTable(e)),
  new SlashOption('divider', 'Divider', { icon: '―', hint: '---', keywords: ['hr', 'rule', 'separator', 'line'] }, insertDivider),
  new SlashOption('link', 'Link', { icon: '↗', keywords: ['url', 'web'] }, (e) => e.dispatchCommand(OPEN_LINK_EDITOR_COMMAND, undefined)),
  new SlashOption('mention', 'Mention someone', { icon: '@', hint: '@', keywords: ['person', 'user', 'people'] }, typeTrigger('@')),
  new SlashOption('doc-link', 'Link to a document', { icon: '[[', hint: '[[', keywords: ['page', 'document', 'reference'] }, typeTrigger('[[')),
];

/** The "/" menu: type "/" then a few letters to turn the block into anything the node set has. */
export function SlashMenuPlugin() {
  const [editor] = useLexicalComposerContext();
  const [query, setQuery] = useState<string | null>(null);
  const basicTrigger = useBasicTypeaheadTriggerMatch('/', { minLength: 0, maxLength: 30 });

  const options = useMemo(() => OPTIONS.filter((o) => o.matches(query ?? '')), [query]);

  // Close (rather than show an empty list that would swallow the arrow keys) when nothing matches.
  const triggerFn = useCallback(
    (text: string, ed: LexicalEditor) => {
      const match = $selectionInCode() ? null : basicTrigger(text, ed);
      if (!match || !OPTIONS.some((o) => o.matches(match.matchingString))) return null;
      return match;
    },
    [basicTrigger],
  );

  const onSelectOption = useCallback(
    (option: SlashOption, textNode: TextNode | null, closeMenu: () => void) => {
      editor.update(() => {
        textNode?.remove();
      });
      closeMenu();
      option.run(editor);
    },
    [editor],
  );

  const menuRenderFn = useMemo(() => renderTypeaheadMenu<SlashOption>('slash'), []);

  return (
    <LexicalTypeaheadMenuPlugin<SlashOption>
      onQueryChange={setQuery}
      onSelectOption={onSelectOption}
      triggerFn={triggerFn}
      options={options}
      menuRenderFn={menuRenderFn}
      anchorClassName="typeahead-anchor"
    />
  );
}
