// The toolbar's Open button and the hidden file input it clicks (the action is actions/openFiles.ts).
import type { RefObject } from 'react';
import type { AppStore } from '../store/store';
import { readFileInputs } from './readFiles';

export const OpenFiles = ({
  store,
  fileInput,
  onOpen,
}: {
  store: AppStore;
  fileInput: RefObject<HTMLInputElement | null>;
  onOpen(): void;
}) => (
  <>
    <button
      type="button"
      data-testid="open"
      title="Open topology files: Compose, docker network inspect, Kubernetes, Calico, AWS, Terraform, segscope JSON (or drop or paste them) (Ctrl+O)"
      aria-label="open files"
      onClick={onOpen}
    >
      Open…
    </button>
    <input
      ref={fileInput}
      type="file"
      multiple
      accept=".json,.yaml,.yml"
      data-testid="file-input"
      hidden
      onChange={async (e) => {
        const files = e.currentTarget.files;
        if (files && files.length > 0) await store.getState().importFiles(await readFileInputs(files));
        if (fileInput.current) fileInput.current.value = '';
      }}
    />
  </>
);
