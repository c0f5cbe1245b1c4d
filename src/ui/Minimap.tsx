// The overview navigator: the focused band's segments in miniature with the viewport; click or drag to move there.
import type { Core } from 'cytoscape';
import { useEffect, useRef } from 'react';

const W = 200;
const H = 150;
/** Room around the drawing (px), so the outlines are whole. */
const INSET = 2;

/** Where the map puts the band: a model point p is drawn at (p - origin) * scale. */
interface Framing {
  scale: number;
  origin: { x: number; y: number };
}

/** The focused band's top-level boxes, its outline and the viewport; a band with no data says so. */
const drawMinimap = (ctx: CanvasRenderingContext2D, cy: Core, style: CSSStyleDeclaration): Framing | undefined => {
  ctx.clearRect(0, 0, W, H);
  const band = style.getPropertyValue('--mini-band').trim() || '#afb8c1';
  const view = style.getPropertyValue('--mini-view').trim() || '#0969da';
  // Top-level boxes of the focused band: contexts, and segments outside any context.
  const boxes = cy.nodes('[kind = "context"], [kind = "segment"]');
  if (boxes.empty()) {
    // A band with no data draws nothing: say so, never leave the last band's picture.
    ctx.fillStyle = style.color || '#57606a';
    ctx.font = '12px sans-serif';
    ctx.textAlign = 'center';
    ctx.fillText('no data in this band', W / 2, H / 2);
    return undefined;
  }
  // Frame both the content and the viewport, so the viewport rectangle is always visible.
  const content = boxes.boundingBox({ includeLabels: false });
  const ext0 = cy.extent();
  const bb = {
    x1: Math.min(content.x1, ext0.x1),
    y1: Math.min(content.y1, ext0.y1),
    w: Math.max(content.x2, ext0.x2) - Math.min(content.x1, ext0.x1),
    h: Math.max(content.y2, ext0.y2) - Math.min(content.y1, ext0.y1),
  };
  // A margin of the line's width all round, so neither outline is cut at the canvas' edge.
  const scale = Math.min((W - 2 * INSET) / bb.w, (H - 2 * INSET) / bb.h);
  const origin = { x: bb.x1 - INSET / scale, y: bb.y1 - INSET / scale };
  const rect = (r: { x1: number; y1: number; w: number; h: number }) =>
    [(r.x1 - origin.x) * scale, (r.y1 - origin.y) * scale, r.w * scale, r.h * scale] as const;
  ctx.fillStyle = band;
  boxes.forEach((b) => {
    ctx.globalAlpha = b.data('kind') === 'segment' || b.hasClass('folded') ? 0.7 : 0.3;
    ctx.fillRect(...rect(b.boundingBox({ includeLabels: false })));
  });
  ctx.globalAlpha = 1;
  // The band's outline, then the viewport.
  ctx.strokeStyle = band;
  ctx.lineWidth = 1;
  ctx.strokeRect(...rect(content));
  ctx.strokeStyle = view;
  ctx.lineWidth = 2;
  ctx.strokeRect(...rect(cy.extent()));
  return { scale, origin };
};

export const Minimap = ({ cy }: { cy: Core | undefined }) => {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const el = canvas.current;
    if (!cy || !el) return;
    const ctx = el.getContext('2d');
    if (!ctx) return;
    let frame = 0;
    let scale = 1;
    let origin = { x: 0, y: 0 };
    const draw = () => {
      frame = 0;
      const framed = drawMinimap(ctx, cy, getComputedStyle(el));
      if (framed) ({ scale, origin } = framed);
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    // Boxes move without being added or removed when the band is re-planned: follow positions too.
    cy.on('viewport add remove position', schedule);
    schedule();
    const moveTo = (e: PointerEvent) => {
      const r = el.getBoundingClientRect();
      const x = (e.clientX - r.left) / scale + origin.x;
      const y = (e.clientY - r.top) / scale + origin.y;
      const z = cy.zoom();
      cy.pan({ x: cy.width() / 2 - x * z, y: cy.height() / 2 - y * z });
    };
    const down = (e: PointerEvent) => {
      el.setPointerCapture(e.pointerId);
      moveTo(e);
    };
    const move = (e: PointerEvent) => {
      if (el.hasPointerCapture(e.pointerId)) moveTo(e);
    };
    el.addEventListener('pointerdown', down);
    el.addEventListener('pointermove', move);
    return () => {
      cy.off('viewport add remove position', schedule);
      if (frame) cancelAnimationFrame(frame);
      el.removeEventListener('pointerdown', down);
      el.removeEventListener('pointermove', move);
    };
  }, [cy]);
  return (
    <canvas
      ref={canvas}
      width={W}
      height={H}
      className="minimap"
      data-testid="minimap"
      aria-label="overview: click to move the view"
    />
  );
};
