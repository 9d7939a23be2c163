import { AutoLinkNode, LinkNode } from '@lexical/link';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { mergeRegister } from '@lexical/utils';
import type { LexicalEditor, NodeKey, NodeMutation } from 'lexical';
import { useEffect } from 'react';
import { navigate } from '../../router.tsx';
import { isSafeUrl, isSameSitePath } from '../safe-url.ts';

/**
 * How links behave in the editor:
 * - every link to another site opens in a new tab with rel="noopener noreferrer" (set on the DOM,
 *   whatever attributes the node carries);
 * - a click on a link follows it when the editor is read-only, or with Ctrl/Cmd while editing (a
 *   plain click places the caret); links to this site's pages (/docs/…) open in place;
 * - nothing but http(s), mailto, tel and this site's paths is ever opened (LinkNode already renders
 *   any other scheme as about:blank).
 */
export function SafeLinksPlugin(): null {
  const [editor] = useLexicalComposerContext();

  useEffect(() => {
    const harden = (mutations: Map<NodeKey, NodeMutation>) => {
      for (const [key, mutation] of mutations) {
        if (mutation === 'destroyed') continue;
        const element = editor.getElementByKey(key);
        if (element instanceof HTMLAnchorElement) hardenAnchor(element);
      }
    };
    return mergeRegister(
      editor.registerMutationListener(LinkNode, harden, { skipInitialization: false }),
      editor.registerMutationListener(AutoLinkNode, harden, { skipInitialization: false }),
      editor.registerRootListener((root, previous) => {
        previous?.removeEventListener('click', onClick);
        root?.addEventListener('click', onClick);
      }),
    );

    function onClick(event: MouseEvent) {
      followLink(editor, event);
    }
  }, [editor]);

  return null;
}

function hardenAnchor(anchor: HTMLAnchorElement): void {
  const href = anchor.getAttribute('href') ?? '';
  if (isSameSitePath(href)) {
    anchor.removeAttribute('target');
    return;
  }
  anchor.target = '_blank';
  anchor.rel = 'noopener noreferrer';
}

function followLink(editor: LexicalEditor, event: MouseEvent): void {
  if (event.button !== 0 || !(event.target instanceof Element)) return;
  const anchor = event.target.closest('a');
  if (!anchor || !editor.getRootElement()?.contains(anchor)) return;
  const modifier = event.metaKey || event.ctrlKey;
  if (editor.isEditable() && !modifier) return; // editing: the click only moves the caret
  event.preventDefault();
  const href = anchor.getAttribute('href') ?? '';
  if (!isSafeUrl(href) || href === 'about:blank') return;
  if (isSameSitePath(href) && !modifier && !event.shiftKey) {
    navigate(href);
    return;
  }
  window.open(isSameSitePath(href) ? href : anchor.href, '_blank', 'noopener,noreferrer');
}
