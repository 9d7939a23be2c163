import { $createMentionNode } from '@handoff/shared/lexical';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { LexicalTypeaheadMenuPlugin, useBasicTypeaheadTriggerMatch } from '@lexical/react/LexicalTypeaheadMenuPlugin';
import type { LexicalEditor, TextNode } from 'lexical';
import { useCallback, useMemo, useState } from 'react';
import type { PublicUser } from '../../api/model.ts';
import { useUsersQuery } from '../../api/queries.ts';
import { $selectionInCode } from '../block-commands.ts';
import { $insertTypeaheadResult, EditorMenuOption, renderTypeaheadMenu } from '../TypeaheadMenu.tsx';
import { initials } from '../user-color.ts';

class MentionOption extends EditorMenuOption {
  constructor(readonly user: PublicUser) {
    super(user.id, user.name, { hint: `@${user.handle}`, icon: initials(user.name), keywords: [user.handle] });
  }
}

const MAX_SHOWN = 8;

/** "@" + a few letters of a name or handle: pick a person, get a mention node (`@handle`). */
export function MentionsPlugin() {
  const [editor] = useLexicalComposerContext();
  const [query, setQuery] = useState<string | null>(null);
  const basicTrigger = useBasicTypeaheadTriggerMatch('@', { minLength: 0, maxLength: 40 });

  // People are loaded the first time the menu opens (then kept: see useUsersQuery).
  const people = useUsersQuery({ enabled: query !== null });
  const users = useMemo(() => people.data ?? (people.isError ? [] : null), [people.data, people.isError]);

  const options = useMemo(() => {
    if (users === null) return [];
    const all = users.map((u) => new MentionOption(u));
    return all.filter((o) => o.matches(query ?? '')).slice(0, MAX_SHOWN);
  }, [users, query]);

  // Until people are loaded the menu says so; once loaded, no match closes it (Enter stays Enter).
  const triggerFn = useCallback(
    (text: string, ed: LexicalEditor) => {
      const match = $selectionInCode() ? null : basicTrigger(text, ed);
      if (!match || users === null) return match;
      const q = match.matchingString.toLowerCase();
      const any = users.some((u) => u.name.toLowerCase().includes(q) || u.handle.toLowerCase().includes(q));
      return any ? match : null;
    },
    [basicTrigger, users],
  );

  const onSelectOption = useCallback(
    (option: MentionOption, textNode: TextNode | null, closeMenu: () => void) => {
      editor.update(() => $insertTypeaheadResult(textNode, $createMentionNode(option.user.handle)));
      closeMenu();
    },
    [editor],
  );

  const menuRenderFn = useMemo(
    () => renderTypeaheadMenu<MentionOption>('mention', users === null ? 'Loading people…' : null),
    [users],
  );

  return (
    <LexicalTypeaheadMenuPlugin<MentionOption>
      onQueryChange={setQuery}
      onSelectOption={onSelectOption}
      triggerFn={triggerFn}
      options={options}
      menuRenderFn={menuRenderFn}
      anchorClassName="typeahead-anchor"
    />
  );
}
