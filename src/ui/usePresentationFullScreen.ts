// Presentation mode and the browser's full screen kept together: entering asks for it, leaving either leaves both.
import { useEffect } from 'react';
import type { LessonStore } from '../store/lesson';

/** Full screen where the browser allows it (it needs a click or key); the layout is full-window either way. */
export const fullScreen = (on: boolean) => {
  if (on && !document.fullscreenElement) document.documentElement.requestFullscreen?.().catch(() => undefined);
  if (!on && document.fullscreenElement) document.exitFullscreen?.().catch(() => undefined);
};

/**
 * The keys (←/→, PageUp/PageDown, Escape) are actions (ui/actions/lesson.ts); leaving the browser's full
 * screen (its own Escape) leaves presentation mode too, and leaving presentation mode leaves full screen.
 */
export const usePresentationFullScreen = (lessons: LessonStore, open: boolean, presenting: boolean) => {
  useEffect(() => {
    if (!open) return;
    const onFullScreen = () => {
      if (!document.fullscreenElement && lessons.getState().presenting) lessons.getState().setPresenting(false);
    };
    document.addEventListener('fullscreenchange', onFullScreen);
    return () => document.removeEventListener('fullscreenchange', onFullScreen);
  }, [open, lessons]);
  useEffect(() => {
    if (!presenting) fullScreen(false);
  }, [presenting]);
};
