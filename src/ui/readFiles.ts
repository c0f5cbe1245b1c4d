// Files a person opens or drops, read into import inputs: sizes looked at before any byte is read.
import { readableSizes } from '../import/text';
import type { FileInput } from '../import/types';

/**
 * Read files for one import. A file over the size limits is not read at all (a 2 GB file would
 * otherwise become a string and take the tab down): it goes in by name and size only, so the
 * import refuses it with a message naming it, and the other files and the workspace are kept.
 */
export const readFileInputs = async (list: FileList | File[]): Promise<FileInput[]> => {
  const files = Array.from(list);
  const readable = readableSizes(files.map((f) => f.size));
  return Promise.all(
    files.map(async (f, i) => {
      const name = (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;
      // Unread: the File goes to the engine as is (a reference), and the worker reads it.
      return readable[i] ? { name, text: '', blob: f } : { name, text: '', unreadBytes: f.size };
    }),
  );
};

/** Every file of a drop, descending into dropped folders. */
export const filesFromDrop = async (dt: DataTransfer): Promise<File[]> => {
  const entries = Array.from(dt.items)
    .map((i) => i.webkitGetAsEntry?.())
    .filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return Array.from(dt.files);
  const out: File[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
      out.push(new File([file], `${prefix}${file.name}`, { type: file.type }));
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      let batch: FileSystemEntry[];
      do {
        batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
        for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
      } while (batch.length > 0);
    }
  };
  for (const e of entries) await walk(e, '');
  return out.filter((f) => /\.(ya?ml|json)$/i.test(f.name));
};
