// Detecting `docker network inspect` output: a JSON array of networks, each with Name, Driver and IPAM.
import type { FileInput } from '../../import/types';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A network as the Docker Engine API's NetworkInspect prints it (Name, Id, Driver, IPAM, Containers, …). */
export const isNetwork = (v: unknown): boolean =>
  isObj(v) && typeof v.Name === 'string' && typeof v.Driver === 'string' && isObj(v.IPAM);

export const detectDocker = (file: FileInput, parsed: unknown): boolean => {
  if (parsed === undefined)
    return /^\s*\[\s*\{\s*"Name"\s*:/.test(file.text.slice(0, 200)) && file.text.includes('"IPAM"');
  return Array.isArray(parsed) && parsed.length > 0 && parsed.every(isNetwork);
};
