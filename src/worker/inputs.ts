// Files for the engine: the page hands over a file's Blob unread (cloned by reference across threads,
// where a 13 MB string costs the page's task ~50 ms of copying), and the engine reads it before the import.
import type { FileInput } from '../import/types';

/** The text of each file whose content came as a Blob, read with `read`; other files as they are. */
export const readInputs = (files: FileInput[], read: (blob: Blob) => string): FileInput[] =>
  files.map(({ blob, ...file }) => {
    if (!blob) return file;
    try {
      return { ...file, text: read(blob) };
    } catch (e) {
      throw new Error(`${file.name}: could not be read (${(e as Error).message})`);
    }
  });

/** The same, reading the Blobs asynchronously (the in-process engine: tests, no worker). */
export const readInputsAsync = async (files: FileInput[]): Promise<FileInput[]> => {
  const texts = new Map<Blob, string>();
  await Promise.all(
    files.map(async ({ name, blob }) => {
      if (!blob) return;
      try {
        texts.set(blob, await blob.text());
      } catch (e) {
        throw new Error(`${name}: could not be read (${(e as Error).message})`);
      }
    }),
  );
  return readInputs(files, (blob) => texts.get(blob) ?? '');
};

/** A worker's synchronous reader (FileReaderSync exists in workers only). */
export const readBlobSync = (blob: Blob): string =>
  new (self as unknown as { FileReaderSync: new () => { readAsText(b: Blob): string } }).FileReaderSync().readAsText(
    blob,
  );
