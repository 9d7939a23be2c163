// What the editor and the comments sidebar of one open document share: the thread in focus, the
// comment being started, and where the live editor finds each thread's text. The editor's
// plugins (inside the lazily loaded editor) and the sidebar (beside it) talk only through this.
// No React in here: components read it with useSyncExternalStore (see use-comments.ts).

/** A comment being started: on a range of the text, or on the whole document (`anchor` null). */
export interface Draft {
  anchor: {
    /** The range as base64 Yjs relative positions, as `POST /api/docs/:id/threads` takes it. */
    relative: { start: string; end: string };
    quote: string;
    /** The selection spanned several blocks; only the first block's part is anchored. */
    trimmed: boolean;
  } | null;
}

/** Where the live editor finds a thread's text: the block and the offset of its first character. */
export interface LivePosition {
  block: number;
  offset: number;
}

export interface CommentsState {
  /** The thread in focus (its card open in the sidebar, its text highlighted more strongly). */
  activeThreadId: string | null;
  /** Bumped each time the active thread should be scrolled into view in the editor. */
  revealRequest: number;
  /** Bumped each time the active thread's card should be scrolled into view in the sidebar. */
  focusCardRequest: number;
  draft: Draft | null;
  /** A passing message about commenting (e.g. why a selection cannot be commented on). */
  notice: string | null;
  /**
   * The threads whose anchored text the live editor found, and where; null until the editor has
   * its content. A thread missing from it has lost its text (orphaned), as the server would say.
   */
  live: ReadonlyMap<string, LivePosition> | null;
}

const INITIAL: CommentsState = {
  activeThreadId: null,
  revealRequest: 0,
  focusCardRequest: 0,
  draft: null,
  notice: null,
  live: null,
};

export class CommentsController {
  private state: CommentsState = INITIAL;
  private readonly listeners = new Set<() => void>();

  getState = (): CommentsState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * Puts a thread in focus (null: none). `reveal` scrolls the editor to its text, `focusCard` the
   * sidebar to its card.
   */
  select(threadId: string | null, { reveal = false, focusCard = false }: { reveal?: boolean; focusCard?: boolean } = {}): void {
    this.set({
      activeThreadId: threadId,
      revealRequest: this.state.revealRequest + (reveal && threadId ? 1 : 0),
      focusCardRequest: this.state.focusCardRequest + (focusCard && threadId ? 1 : 0),
    });
  }

  startDraft(draft: Draft): void {
    this.set({ draft, notice: null, activeThreadId: null });
  }

  cancelDraft(): void {
    this.set({ draft: null });
  }

  setNotice(notice: string | null): void {
    this.set({ notice });
  }

  /** The editor found these threads' text (replaces what it found before). */
  setLive(live: ReadonlyMap<string, LivePosition>): void {
    const before = this.state.live;
    if (before && before.size === live.size && [...live].every(([id, p]) => {
      const q = before.get(id);
      return q !== undefined && q.block === p.block && q.offset === p.offset;
    })) {
      return;
    }
    this.set({ live });
  }

  private set(patch: Partial<CommentsState>): void {
    const next = { ...this.state, ...patch };
    if ((Object.keys(patch) as (keyof CommentsState)[]).every((k) => next[k] === this.state[k])) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}
