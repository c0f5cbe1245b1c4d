// `segscope connlist FILE_OR_DIR... [--json]`: every allowed connection of a topology, one pair per line or as JSON.
import { type ConnlistOptions, type ConnlistResult, computeConnlist, workloadNames } from '../analysis/connlist';
import { workloadNetworks } from '../analysis/connlist-networks';
import { connlistJsonChunks, connlistTextChunks, formatConnlist } from '../analysis/connlist-output';
import { formatConnlistReference, referenceConnections, referenceSectionChunks } from '../analysis/connlist-txt';
import { importFiles } from '../import/index';
import { HOST_NETWORK_MODES, type HostNetworkPods, withHostNetworkPods } from '../model/settings';
import type { Workspace } from '../model/types';
import { type Command, type Io, parseFlags, readFilesOrReport, settingsFlags, UsageError } from './io';

/**
 * Read FILE/DIR arguments and compute their connlist. Notes go to stderr: files skipped under
 * directories, and import errors and warnings (the valid rest is still analysed). Undefined when
 * nothing could be read (the caller exits 2). `settings` puts the command's flags into the workspace.
 */
export const loadConnlist = (
  paths: string[],
  io: Io,
  command: string,
  options: ConnlistOptions = {},
  settings: (ws: Workspace) => Workspace = (ws) => ws,
  seen: (ws: Workspace) => void = () => {},
): ConnlistResult | undefined => {
  const files = readFilesOrReport(command, paths, io);
  if (!files) return undefined;
  const { workspace, report } = importFiles(files);
  for (const d of [...report.files.flatMap((f) => f.diagnostics), ...report.diagnostics]) {
    if (d.severity !== 'info') io.err(`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`);
  }
  const ws = settings(workspace);
  seen(ws);
  return computeConnlist(ws, options);
};

export const connlist: Command = (args: string[], io: Io) => {
  const valued = ['format', 'ephemeral-ports', 'cilium-enforcement', 'host-network'];
  const { positional, flags } = parseFlags(args, valued);
  const unknown = Object.keys(flags).filter((f) => !['json', ...valued].includes(f));
  if (unknown.length > 0) throw new UsageError(`unknown option --${unknown[0]}`);
  const format = flags.json ? 'json' : (flags.format ?? 'segscope');
  if (format !== 'json' && format !== 'txt' && format !== 'segscope') {
    throw new UsageError(
      `--format ${String(format)}: use txt (the layout of Kubernetes connectivity analyzers), json or segscope`,
    );
  }
  const settings = settingsFlags(flags);
  const hostNetwork = hostNetworkFlag(flags['host-network']);
  if (positional.length === 0) throw new UsageError('name at least one FILE or directory');
  // Sources are cut at the CIDRs of ingress rules and destinations at those of egress rules, as the
  // reference analyzer does too (its getDisjointIPBlocks: one cut per direction).
  let networks: ReturnType<typeof workloadNetworks>;
  const loaded = loadConnlist(
    positional,
    io,
    'connlist',
    { ingressControllers: format === 'txt' },
    (ws) => settings.apply(hostNetwork ? withHostNetworkPods(ws, hostNetwork) : ws),
    (ws) => {
      const workloads = ws.services.filter((s) => s.kind !== 'external');
      networks = workloadNetworks(ws, workloads, workloadNames(workloads));
    },
  );
  if (!loaded) return 2;
  const result = format === 'txt' ? txtOnly(loaded, io) : loaded;
  // With user-defined or secondary networks the reference layout lists each network on its own.
  if (format === 'txt' && networks) {
    for (const chunk of referenceSectionChunks(result, networks)) io.out(chunk);
    return 0;
  }
  // In pieces: the list grows with the square of the workloads, past what one string can hold.
  if (format === 'json') for (const chunk of connlistJsonChunks(result)) io.out(chunk);
  else if (result.connections.length > 0) {
    const txt = (part: { connections: ConnlistResult['connections'] }) =>
      formatConnlistReference({ ...part, kinds: result.kinds, podControllers: result.podControllers });
    for (const chunk of connlistTextChunks(result, format === 'txt' ? txt : formatConnlist)) io.out(chunk);
  } else io.err('segscope connlist: no connection is allowed');
  return 0;
};

/** `--host-network pod`: how policies treat hostNetwork pods (workspace `settings.hostNetworkPods`). */
const hostNetworkFlag = (value: string | true | undefined): HostNetworkPods | undefined => {
  if (value === undefined) return undefined;
  if ((HOST_NETWORK_MODES as readonly unknown[]).includes(value)) return value as HostNetworkPods;
  throw new UsageError(`--host-network takes ${HOST_NETWORK_MODES.join(', ')}`);
};

/** The result as the reference layout lists it: IPv4 ranges only, with a note of the IPv6 lines left out. */
const txtOnly = (result: ConnlistResult, io: Io): ConnlistResult => {
  const { kept, ipv6 } = referenceConnections(result.connections);
  if (ipv6 > 0) {
    io.err(
      `segscope connlist: note: ${ipv6} line(s) to or from IPv6 ranges left out of --format txt (its address space is IPv4, as the reference analyzer's); --json and the default format list them`,
    );
  }
  return { ...result, connections: kept };
};

export const connlistCommand = {
  run: connlist,
  usage:
    'segscope connlist FILE_OR_DIR... [--json | --format txt|json|segscope] [--ephemeral-ports 1024-65535] [--cilium-enforcement default|always|never] [--host-network node|pod]',
};
