// Detecting a Kubernetes file: some API object in it is not a Calico object (mixed files are read here, whole).
import { flattenObjects } from '../../import/manifests';
import type { FileInput } from '../../import/types';
import { isCalicoApiVersion } from '../calico/conventions';

export const detectK8s = (_file: FileInput, parsed: unknown): boolean => {
  const objects = flattenObjects(parsed);
  return objects.some((o) => typeof o.apiVersion === 'string' && !isCalicoApiVersion(o.apiVersion));
};
