// The files an export will download and what the format could not express, shown before anything is downloaded.
import type { ExportResult } from '../export/format';
import { downloadFiles } from './actions/download';
import './export-dialog.css';

export interface PendingExport {
  title: string;
  result: ExportResult;
}

const size = (text: string): string =>
  text.length < 1024 ? `${text.length} B` : `${(text.length / 1024).toFixed(text.length < 10240 ? 1 : 0)} KiB`;

/** Download writes the files and closes the dialog. */
export const ExportDialog = ({ pending, onClose }: { pending: PendingExport; onClose(): void }) => {
  const { title, result } = pending;
  const download = () => {
    downloadFiles(result.files);
    onClose();
  };
  return (
    <div
      className="export-dialog"
      role="dialog"
      aria-modal="true"
      aria-label={`Export: ${title}`}
      data-testid="export-dialog"
    >
      <h2>Export: {title}</h2>
      {result.files.length === 0 ? (
        <p>Nothing to write in this format.</p>
      ) : (
        <ul className="files">
          {result.files.map((f) => (
            <li key={f.name} data-testid="export-file">
              {f.name} <span className="size">{size(f.text)}</span>
            </li>
          ))}
        </ul>
      )}
      {result.notes.length > 0 ? (
        <>
          <h3>What this format could not express</h3>
          <ul className="notes">
            {result.notes.map((n) => (
              <li key={n} data-testid="export-note">
                {n}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p data-testid="export-no-notes">The writer has no notes on this export.</p>
      )}
      <div className="buttons">
        <button type="button" data-testid="export-cancel" onClick={onClose}>
          Cancel
        </button>
        <button type="button" data-testid="export-download" disabled={result.files.length === 0} onClick={download}>
          Download {result.files.length === 1 ? 'file' : `${result.files.length} files`}
        </button>
      </div>
    </div>
  );
};
