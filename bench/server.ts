// A tiny static server for the bench: the bare-cytoscape page, its scripts and cytoscape itself (plus dist/).
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** Serve `/bare.html`, `/bare.js`, `/probe.js` from bench/, `/cytoscape.min.js` from node_modules, the rest from dist. */
export const startStaticServer = async (root: string, dist: string): Promise<StaticServer> => {
  const fixed: Record<string, string> = {
    '/': join(root, 'bench', 'bare.html'),
    '/bare.html': join(root, 'bench', 'bare.html'),
    '/bare.js': join(root, 'bench', 'bare.js'),
    '/probe.js': join(root, 'bench', 'probe.js'),
    // Unminified on request, so a profile names cytoscape's functions.
    '/cytoscape.min.js': join(
      root,
      'node_modules',
      'cytoscape',
      'dist',
      process.env.BENCH_CYTOSCAPE_UNMINIFIED ? 'cytoscape.umd.js' : 'cytoscape.min.js',
    ),
  };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = fixed[path];
    if (!file) {
      const inside = normalize(join(dist, path));
      // Nothing outside dist: a `..` in the path is refused.
      if (!inside.startsWith(dist + sep)) {
        res.writeHead(403).end();
        return;
      }
      file = inside;
    }
    readFile(file).then(
      (body) => {
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
      },
      () => {
        res.writeHead(404).end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
