/** The keyboard shortcut of "Comment", as the platform writes it (the keys: Ctrl/Cmd + Alt + M). */
export const COMMENT_SHORTCUT = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘⌥M' : 'Ctrl+Alt+M';
