// What the panels ask the canvas to show: services and/or segments on a level (the store's reveal request).
import type { Level, Severity } from '../model/types';

export interface RevealSubjects {
  serviceIds?: string[];
  segmentIds?: string[];
  level?: Level;
}

export type Reveal = (subjects: RevealSubjects) => void;

/** A severity as a shape and a word, so colour is never the only signal. */
export const SEVERITY_GLYPH: Record<Severity, string> = { error: '✕', warn: '⚠\uFE0E', info: '○' };
export const SEVERITY_WORD: Record<Severity, string> = { error: 'error', warn: 'warning', info: 'info' };
