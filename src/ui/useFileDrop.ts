// Files dropped anywhere on the page are imported: native listeners, so the page needs no role of its own.
import { type RefObject, useEffect, useState } from 'react';
import type { AppStore } from '../store/store';
import { filesFromDrop, readFileInputs } from './readFiles';

/**
 * Listen for file drops on `target` and import what is dropped; true while files are held over it.
 * Listeners, not JSX handlers: a div with drop handlers would need an interactive role, and
 * role="application" on the whole page turns off screen readers' reading keys for all of it
 * (only the graph canvas is an application region, GraphCanvas.tsx).
 */
export const useFileDrop = (target: RefObject<HTMLElement | null>, store: AppStore): boolean => {
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    const el = target.current;
    if (!el) return;
    const over = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      setDragging(true);
    };
    const leave = () => setDragging(false);
    const drop = async (e: DragEvent) => {
      e.preventDefault();
      setDragging(false);
      if (!e.dataTransfer) return;
      const files = await filesFromDrop(e.dataTransfer);
      if (files.length > 0) await store.getState().importFiles(await readFileInputs(files));
    };
    el.addEventListener('dragover', over);
    el.addEventListener('dragleave', leave);
    el.addEventListener('drop', drop);
    return () => {
      el.removeEventListener('dragover', over);
      el.removeEventListener('dragleave', leave);
      el.removeEventListener('drop', drop);
    };
  }, [target, store]);
  return dragging;
};
