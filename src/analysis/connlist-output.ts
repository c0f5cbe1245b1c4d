// The connectivity list as text and JSON: one line per pair, and both in pieces for lists past what one string holds.
import type { Connection, Connlist, Ports } from './connlist';

/** The JSON document of `connlist --json`. */
export const connlistJson = (r: Connlist): Connlist => ({ connections: r.connections });

/** `TCP 8080,UDP 53` or `all`, the text form of a set (comma-separated like K8s connectivity analyzers). */
export const portsText = (p: Ports): string => (p === 'all' ? 'all' : p.join(','));

/** One line per pair: `from => to : ports`. */
export const formatConnlist = (r: Connlist): string =>
  r.connections.map((c) => `${c.from} => ${c.to} : ${portsText(c.ports)}`).join('\n');

/** Connections per piece of the texts below. */
const PER_CHUNK = 5000;

/**
 * `formatConnlist` in pieces of whole lines (each without its last newline). The list grows with the
 * square of the workloads (2.7 million lines at 2,000): as one string it would pass the longest
 * string a JavaScript engine makes, so writers take it piece by piece.
 */
export function* connlistTextChunks(
  r: Connlist,
  format: (part: Connlist) => string = formatConnlist,
): Generator<string> {
  for (let i = 0; i < r.connections.length; i += PER_CHUNK) {
    yield format({ connections: r.connections.slice(i, i + PER_CHUNK) });
  }
}

/** `JSON.stringify(connlistJson(r), null, 2)` in pieces that end in a newline (the last one excepted). */
export function* connlistJsonChunks(r: Connlist): Generator<string> {
  const n = r.connections.length;
  if (n === 0) {
    yield JSON.stringify(connlistJson(r), null, 2);
    return;
  }
  // Names and port sets repeat across millions of connections: each is written out once.
  const names = new Map<string, string>();
  const name = (x: string): string => {
    let t = names.get(x);
    if (t === undefined) {
      t = JSON.stringify(x);
      names.set(x, t);
    }
    return t;
  };
  const portTexts = new Map<Ports, string>();
  const ports = (p: Ports): string => {
    let t = portTexts.get(p);
    if (t === undefined) {
      t = JSON.stringify(p, null, 2).replaceAll('\n', '\n      ');
      portTexts.set(p, t);
    }
    return t;
  };
  yield '{\n  "connections": [\n';
  for (let i = 0; i < n; i += PER_CHUNK) {
    const end = Math.min(n, i + PER_CHUNK);
    let text = '';
    for (let k = i; k < end; k++) {
      const c = r.connections[k] as Connection;
      text += `    {\n      "from": ${name(c.from)},\n      "to": ${name(c.to)},\n      "ports": ${ports(c.ports)}\n    }${k < n - 1 ? ',' : ''}\n`;
    }
    yield text;
  }
  yield '  ]\n}';
}
