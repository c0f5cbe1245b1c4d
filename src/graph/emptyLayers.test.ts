import { describe, expect, it } from 'vitest';
import { type LayeredRenderer, leaveEmptyLayers } from './emptyLayers';

const SELECT_BOX = 0;
const DRAG = 1;
const NODE = 2;
const NAMES = ['select', 'drag', 'node'];

/**
 * A renderer that touches layers as cytoscape's `render` does: every layer hinted for a redraw is
 * cleared (and its hint dropped), the drag layer then draws its elements, the selection layer its box.
 */
const fake = () => {
  const touched: string[][] = [];
  const r: LayeredRenderer & { dragged: unknown[] } = {
    DRAG,
    SELECT_BOX,
    dragged: [],
    data: { canvasNeedsRedraw: [false, false, false] },
    selection: [0, 0, 0, 0, 0],
    hoverData: {},
    touchData: {},
    getCachedZSortedEles() {
      return { drag: r.dragged };
    },
    render(options) {
      const need = r.data.canvasNeedsRedraw;
      const frame: string[] = [];
      for (const layer of [NODE, DRAG, SELECT_BOX])
        if (need[layer] || options?.forcedContext) {
          frame.push(NAMES[layer] as string);
          if (!options?.forcedContext) need[layer] = false;
        }
      touched.push(frame);
    },
  };
  /** Hint every layer, as an element change and a viewport change do, and render a frame. */
  const frame = (options?: object) => {
    r.data.canvasNeedsRedraw = [true, true, true];
    r.render(options);
    return touched[touched.length - 1];
  };
  return { r, frame };
};

describe('leaveEmptyLayers', () => {
  it('clears a blank drag or selection layer once, then leaves it alone; the node layer is drawn every frame', () => {
    const { r, frame } = fake();
    leaveEmptyLayers(r);
    expect(frame()).toEqual(['node', 'drag', 'select']);
    expect(frame()).toEqual(['node']);
    expect(frame()).toEqual(['node']);
  });

  it('draws the drag layer while it holds elements, clears it once when they leave, then leaves it alone', () => {
    const { r, frame } = fake();
    leaveEmptyLayers(r);
    frame();
    r.dragged = [{}];
    expect(frame()).toEqual(['node', 'drag']);
    expect(frame()).toEqual(['node', 'drag']);
    r.dragged = [];
    expect(frame()).toEqual(['node', 'drag']);
    expect(frame()).toEqual(['node']);
  });

  it('draws the selection layer while it shows a box, a tap circle or the fps, then clears it once', () => {
    const { r, frame } = fake();
    leaveEmptyLayers(r);
    frame();
    r.data.bgActivePosistion = { x: 1, y: 1 };
    expect(frame()).toEqual(['node', 'select']);
    r.data.bgActivePosistion = undefined;
    expect(frame()).toEqual(['node', 'select']);
    expect(frame()).toEqual(['node']);
    r.selection[4] = 1;
    r.hoverData.selecting = true;
    expect(frame()).toEqual(['node', 'select']);
    r.selection[4] = 0;
    r.hoverData.selecting = false;
    expect(frame()).toEqual(['node', 'select']);
    r.showFps = true;
    expect(frame()).toEqual(['node', 'select']);
  });

  it('passes renders into another context (an export) through, and draws every layer in a mode it does not model', () => {
    const { r, frame } = fake();
    leaveEmptyLayers(r);
    frame();
    expect(frame({ forcedContext: {}, drawAllLayers: true })).toEqual(['node', 'drag', 'select']);
    expect(frame()).toEqual(['node']);
    r.motionBlur = true;
    expect(frame()).toEqual(['node', 'drag', 'select']);
    r.motionBlur = false;
    // Motion blur may have drawn through its buffers: the layers are cleared once more.
    expect(frame()).toEqual(['node', 'drag', 'select']);
    expect(frame()).toEqual(['node']);
  });

  it('leaves a layer hinted alone only when cytoscape asked for it: an unhinted frame touches nothing', () => {
    const { r } = fake();
    leaveEmptyLayers(r);
    r.render();
    expect(r.data.canvasNeedsRedraw).toEqual([false, false, false]);
  });
});
