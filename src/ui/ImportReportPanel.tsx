// The import report: per file what was read, and every diagnostic with file:line:column.
import { useStore } from 'zustand';
import type { AppStore } from '../store/store';

export const ImportReportPanel = ({ store }: { store: AppStore }) => {
  const report = useStore(store, (s) => s.report);
  if (!report) return null;
  const all = [...report.files.flatMap((f) => f.diagnostics), ...report.diagnostics];
  return (
    <section className="panel" data-testid="import-report" aria-label="import report">
      <h2>Import {report.failed ? <span className="bad">failed — previous workspace kept</span> : null}</h2>
      <ul className="files">
        {report.files.map((f) => (
          <li key={f.name} data-testid="import-file">
            <span className="file">{f.name}</span> <span className="format">{f.format}</span>{' '}
            <span className="counts">
              {f.services} services · {f.segments} segments · {f.calls} calls · {f.rules} rules
            </span>
          </li>
        ))}
      </ul>
      {all.length > 0 ? (
        <ul className="diagnostics">
          {all.map((d, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a report is immutable; two diagnostics may share a position
            <li key={`${d.file}:${d.line}:${d.column}:${i}`} className={`sev-${d.severity}`} data-testid="diagnostic">
              <code>
                {d.file}:{d.line}:{d.column}
              </code>{' '}
              <span className="sev">{d.severity}</span> {d.message}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
};
