// A band of few elements drawn straight onto the canvas, not through cytoscape's texture caches.
//
// Cytoscape draws each element into a cached texture (and the band into a layer texture) and then
// copies those onto the canvas: that pays off while panning thousands of elements, but each texture
// is made anew on the first frame after a change (a load, an expand, a drop, an undo restyles the
// band). With software rendering that copying was most of a first frame's CPU: a fresh band of 20–70
// folded cells at 5,000 services took up to 170–260 ms CPU per render task (profile: `drawImage` of
// element textures, `makeLayer` allocating a layer as large as the band at its texture level). Drawn
// directly, a render of such a band costs 20–110 ms, and a pan frame no more than through the caches
// (≈ 0.07 ms CPU per element drawn; a band of 644 elements drawn directly paned at 47 ms a frame, 6 ms
// through the caches: above DIRECT_MAX the caches are kept).

/** Bands of at most this many elements are drawn directly (≈ 14 ms CPU a frame at most). */
export const DIRECT_MAX = 200;

/** The part of cytoscape's canvas renderer this replaces (not in its type declarations). */
export interface ElementDrawer {
  drawLayeredElements(context: unknown, eles: ArrayLike<unknown>, pxRatio: number, extent: unknown): void;
  drawElements(context: unknown, eles: ArrayLike<unknown>): void;
}

/** Draw bands of at most `max` elements directly; larger ones through the renderer's own caches. */
export const drawSmallDirectly = (renderer: ElementDrawer, max = DIRECT_MAX): void => {
  const cached = renderer.drawLayeredElements;
  renderer.drawLayeredElements = function (context, eles, pxRatio, extent) {
    if (eles.length <= max) this.drawElements(context, eles);
    else cached.call(this, context, eles, pxRatio, extent);
  };
};
