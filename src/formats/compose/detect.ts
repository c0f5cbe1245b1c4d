// Detecting a Compose file: a map with services (or v1 service-like entries), not another format's top-level keys.
import type { FileInput } from '../../import/types';
import { isObj, own, scalarText } from './context';
import { COMPOSE_FILE_NAME } from './conventions';

const SERVICE_HINTS = ['image', 'build', 'links'];

const looksLikeCompose = (v: unknown): boolean => {
  if (!isObj(v)) return false;
  if (['apiVersion', 'kind', 'segscope', 'AWSTemplateFormatVersion', 'Resources'].some((k) => Object.hasOwn(v, k)))
    return false;
  if (isObj(own(v, 'services'))) return true;
  const version = scalarText(own(v, 'version'));
  if (version !== undefined && /^[123](\.\d+)*$/.test(version)) return true;
  // v1: services at the top level.
  return Object.keys(v).some((k) => {
    const s = v[k];
    return !k.startsWith('x-') && isObj(s) && SERVICE_HINTS.some((h) => Object.hasOwn(s, h));
  });
};

export const detectCompose = (file: FileInput, parsed: unknown): boolean => {
  if (parsed !== undefined) return looksLikeCompose(parsed);
  // Not parseable: claim it by name or by a top-level `services:` so the reader can report exact errors.
  const base = file.name.split(/[\\/]/).at(-1) ?? '';
  if (COMPOSE_FILE_NAME.test(base)) return true;
  return /^services:/m.test(file.text) && !/^(apiVersion|kind):/m.test(file.text);
};
