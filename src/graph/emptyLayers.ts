// Cytoscape's drag and selection-box canvases left untouched while they are empty and have nothing to draw.
//
// The canvas renderer stacks three canvases (selection box, drag, nodes) and clears each one it is
// hinted to redraw: the drag layer on every element change, the selection layer on every viewport
// change. Ours stay empty (nodes are never grabbed: the drag is our own controller; no box
// selection), but a canvas that is cleared is a changed canvas: the browser copies its whole bitmap
// for the compositor in that frame's commit (`Canvas2DResourceProvider::ProduceCanvasResource`,
// 9–13 ms CPU per canvas of a 1600 × 1000 window in software rendering: a third to a half of a frame's
// task at a load, an expand or a drop). Skipping the clear of a layer that is already blank draws
// the same picture.

/** The parts of cytoscape's canvas renderer this reads (not in its type declarations). */
export interface LayeredRenderer {
  render(options?: RenderOptions): void;
  getCachedZSortedEles(): { drag?: ArrayLike<unknown> };
  data: { canvasNeedsRedraw: boolean[]; bgActivePosistion?: unknown };
  selection: unknown[];
  hoverData: { selecting?: boolean };
  touchData: { selecting?: boolean };
  showFps?: boolean;
  motionBlur?: boolean;
  textureOnViewport?: boolean;
  DRAG: number;
  SELECT_BOX: number;
}

interface RenderOptions {
  forcedContext?: unknown;
  drawAllLayers?: boolean;
  drawOnlyNodeLayer?: boolean;
  motionBlur?: boolean;
}

/** Whether the renderer would draw anything on its selection-box layer now (the box, the tap circle, the fps). */
const selectionDrawn = (r: LayeredRenderer): boolean =>
  !!r.showFps ||
  (r.selection[4] === 1 && !!(r.hoverData.selecting || r.touchData.selecting)) ||
  (!!r.data.bgActivePosistion && !r.hoverData.selecting);

/**
 * Leave the drag and selection-box layers alone while they are blank and would stay so. A layer is
 * known blank once a render cleared it and drew nothing on it; until then (and whenever a render
 * draws on it, or runs in a mode this does not model) it is cleared as cytoscape does.
 */
export const leaveEmptyLayers = (renderer: LayeredRenderer): void => {
  const render = renderer.render;
  const blank = new Map<number, boolean>();
  renderer.render = function (options) {
    const o = options ?? {};
    const layers = [this.DRAG, this.SELECT_BOX];
    if (o.forcedContext || o.drawAllLayers || o.drawOnlyNodeLayer) {
      render.call(this, options);
      return;
    }
    if (this.motionBlur || o.motionBlur || this.textureOnViewport) {
      // Motion blur and viewport textures draw through buffers this does not follow.
      for (const layer of layers) blank.set(layer, false);
      render.call(this, options);
      return;
    }
    const need = this.data.canvasNeedsRedraw;
    const empty = new Map([
      [this.DRAG, (this.getCachedZSortedEles().drag?.length ?? 0) === 0],
      [this.SELECT_BOX, !selectionDrawn(this)],
    ]);
    for (const layer of layers) if (need[layer] && empty.get(layer) && blank.get(layer)) need[layer] = false;
    const drawn = layers.filter((layer) => need[layer]);
    render.call(this, options);
    for (const layer of drawn) blank.set(layer, !!empty.get(layer));
  };
};
