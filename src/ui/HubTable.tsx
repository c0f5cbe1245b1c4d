// One table of the hubs panel: a hub per row, its name a button that selects and reveals it, then its figures.
import type { ReactNode } from 'react';

export interface HubRow {
  key: string;
  name: string;
  /** Select the hub and reveal it in the graph. */
  onSelect(): void;
  figures: ReactNode[];
}

export const HubTable = ({
  testId,
  rowTestId,
  heads,
  rows,
}: {
  testId?: string;
  rowTestId: string;
  /** Column heads after the first (what a hub is), with what each counts. */
  heads: readonly { text: string; title?: string }[];
  rows: readonly HubRow[];
}) => (
  <table className="hubs" data-testid={testId}>
    <thead>
      <tr>
        {heads.map((h) => (
          <th key={h.text} title={h.title}>
            {h.text}
          </th>
        ))}
      </tr>
    </thead>
    <tbody>
      {rows.map((r) => (
        <tr key={r.key} data-testid={rowTestId}>
          <td>
            <button
              type="button"
              className="link"
              title={`Select ${r.name} and show it in the graph`}
              onClick={r.onSelect}
            >
              ★ {r.name}
            </button>
          </td>
          {r.figures.map((f, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a row's figures are fixed columns
            <td key={i}>{f}</td>
          ))}
        </tr>
      ))}
    </tbody>
  </table>
);
