import { useEffect, type RefObject } from 'react';

/**
 * Opens `dialogRef` as a modal dialog on mount (the page behind becomes inert) and focuses and
 * selects `inputRef`; on unmount the dialog closes and focus goes back where it was.
 */
export function useModalDialog(dialogRef: RefObject<HTMLDialogElement | null>, inputRef: RefObject<HTMLInputElement | null>): void {
  useEffect(() => {
    const dialog = dialogRef.current;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    inputRef.current?.focus();
    inputRef.current?.select();
    return () => {
      dialog?.close();
      if (before?.isConnected) before.focus({ preventScroll: true });
    };
  }, [dialogRef, inputRef]);
}
