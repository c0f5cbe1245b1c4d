// Every format segscope reads or writes, in one list that import, convert, gen and the app's menus all read.
import { awsFormat } from './aws/format';
import { calicoFormat } from './calico/format';
import { composeFormat } from './compose/format';
import { dockerFormat } from './docker/format';
import { k8sFormat } from './k8s/format';
import { nativeFormat } from './native/format';
import { terraformFormat } from './terraform/format';
import type { Format, FormatWriter } from './types';

/**
 * In detection order: the first format whose `detect` claims a file reads it. The detections are
 * exclusive by content (Calico: every object is Calico; Kubernetes: some object is not), so the
 * order only settles files that say too little, which native and Compose claim first.
 */
export const FORMATS: readonly Format[] = [
  nativeFormat,
  composeFormat,
  dockerFormat,
  k8sFormat,
  calicoFormat,
  awsFormat,
  terraformFormat,
];

/** Every writer, by the name `--to` takes. */
export const WRITERS: readonly FormatWriter[] = FORMATS.flatMap((f) => (f.write ? [f.write] : []));

export const writerNamed = (name: string): FormatWriter | undefined => WRITERS.find((w) => w.name === name);

/** "a segscope workspace, Docker Compose, … or Terraform JSON": what the import understands, for messages. */
export const formatNouns = (): string => {
  const nouns = FORMATS.map((f) => f.noun);
  return nouns.length < 2 ? (nouns[0] ?? '') : `${nouns.slice(0, -1).join(', ')} or ${nouns.at(-1)}`;
};
