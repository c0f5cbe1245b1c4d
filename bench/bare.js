// The bare-cytoscape side of the bench: mount given elements (same positions as the app) and time the first frame.
/* global cytoscape */
(() => {
  window.bare = {
    /** spec: {elements, style|null, width, height, zoom, pan, options: {hideEdgesOnViewport, textureOnViewport, webgl}} */
    mount: async (specText) => {
      const spec = JSON.parse(specText);
      const B = window.__bench;
      const el = document.getElementById('cy');
      el.style.width = `${spec.width}px`;
      el.style.height = `${spec.height}px`;
      const o = spec.options || {};
      const config = {
        container: el,
        elements: spec.elements,
        layout: { name: 'preset', fit: false },
        zoom: spec.zoom,
        pan: spec.pan,
        minZoom: 0.01,
        maxZoom: 4,
        hideEdgesOnViewport: !!o.hideEdgesOnViewport,
        textureOnViewport: !!o.textureOnViewport,
      };
      if (spec.style) config.style = spec.style;
      if (o.webgl) config.renderer = { name: 'canvas', webgl: true };
      await B.frame();
      const t0 = performance.now();
      let rendered;
      const first = new Promise((resolve) => {
        rendered = resolve;
      });
      const cy = cytoscape(config);
      cy.one('render', () => rendered(performance.now()));
      const constructed = performance.now();
      // The WebGL renderer emits no 'render': two frames after construction its first draw is done.
      const fallback = o.webgl
        ? B.frame().then(() => B.frame())
        : new Promise((resolve) => setTimeout(resolve, 120000));
      const renderAt = await Promise.race([first, fallback.then(() => null)]);
      await B.frame();
      const painted = performance.now();
      window.cyBare = cy;
      return {
        constructMs: constructed - t0,
        renderMs: (renderAt === null ? painted : renderAt) - t0,
        renderEvent: renderAt !== null,
        paintMs: painted - t0,
        nodes: cy.nodes().length,
        edges: cy.edges().length,
        webgl: !!o.webgl && !!cy.renderer().webgl,
        longTasks: B.tasks(t0, painted),
      };
    },
  };
})();
