// The overview navigator: the focused band's segments in miniature with the viewport; click or drag to move there.
import type { Core } from 'cytoscape';
import { useEffect, useRef } from 'react';

const W = 200;
const H = 150;

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
      // Top-level boxes of the focused band: contexts, and segments outside any context.
      const bands = cy.nodes('[kind = "context"], [kind = "segment"]');
      if (bands.empty()) return;
      // Frame both the content and the viewport, so the viewport rectangle is always visible.
      const content = bands.boundingBox({ includeLabels: false });
      const ext0 = cy.extent();
      const bb = {
        x1: Math.min(content.x1, ext0.x1),
        y1: Math.min(content.y1, ext0.y1),
        w: Math.max(content.x2, ext0.x2) - Math.min(content.x1, ext0.x1),
        h: Math.max(content.y2, ext0.y2) - Math.min(content.y1, ext0.y1),
      };
      scale = Math.min(W / bb.w, H / bb.h);
      origin = { x: bb.x1, y: bb.y1 };
      ctx.clearRect(0, 0, W, H);
      const style = getComputedStyle(el);
      ctx.fillStyle = style.getPropertyValue('--mini-band') || '#d0d7de';
      ctx.strokeStyle = style.getPropertyValue('--mini-view') || '#0969da';
      bands.forEach((b) => {
        const r = b.boundingBox({ includeLabels: false });
        ctx.globalAlpha = b.data('kind') === 'segment' ? 0.6 : 0.3;
        ctx.fillRect((r.x1 - origin.x) * scale, (r.y1 - origin.y) * scale, r.w * scale, r.h * scale);
      });
      ctx.globalAlpha = 1;
      const ext = cy.extent();
      ctx.lineWidth = 2;
      ctx.strokeRect((ext.x1 - origin.x) * scale, (ext.y1 - origin.y) * scale, ext.w * scale, ext.h * scale);
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    cy.on('viewport add remove', schedule);
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
      cy.off('viewport add remove', schedule);
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
