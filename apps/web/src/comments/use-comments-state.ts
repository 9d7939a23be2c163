import { useSyncExternalStore } from 'react';
import type { CommentsController, CommentsState } from './comments-controller.ts';

/** The shared comment state of the open document; re-renders when it changes. */
export function useCommentsState(controller: CommentsController): CommentsState {
  return useSyncExternalStore(controller.subscribe, controller.getState);
}
