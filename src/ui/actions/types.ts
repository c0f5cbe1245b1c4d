// What a user action is: one thing a person does (a menu entry, a key), run the same way from the toolbar and the keyboard.
import type { ExportResult } from '../../export/format';
import type { GraphView } from '../../graph/adapter';
import type { LessonStore } from '../../store/lesson';
import type { AppStore } from '../../store/store';
import type { Engine } from '../../worker/client';

/** What an action may use. */
export interface ActionContext {
  store: AppStore;
  engine: Engine;
  /** The open lesson and presentation mode. */
  lessons: LessonStore;
  view: GraphView | undefined;
  /** Show what the written files are and what the format could not express, then let the person download them. */
  offerExport(title: string, result: ExportResult): void;
  /** Open the Move dialog for the selected service. */
  openMoveDialog(): void;
  /** Open the browser's file picker for topology files. */
  openFilePicker(): void;
}

/** A key that runs an action: `mod` is Ctrl (Cmd on a Mac); `shift` undefined means with or without Shift. */
export interface KeyBinding {
  key: string;
  mod?: boolean;
  shift?: boolean;
}

export interface Action {
  /** Also the value of its entry in a menu (the Export menu's `png`, `k8s`, …). */
  id: string;
  label: string;
  keys?: readonly KeyBinding[];
  /** False when the action has nothing to act on now (no selection, no workspace). */
  enabled?(ctx: ActionContext): boolean;
  run(ctx: ActionContext): void | Promise<void>;
}
