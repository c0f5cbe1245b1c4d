// The canvas's lower corner: the legend and the overview map, each behind its own toggle.
import { useState } from 'react';
import type { GraphView } from '../graph/adapter';
import { CornerToggle } from './CornerToggle';
import { Legend } from './Legend';
import { Minimap } from './Minimap';

/** The corner's overlays, in the order of their buttons. */
const OVERLAYS = [
  {
    id: 'legend',
    testid: 'legend-toggle',
    label: 'Legend',
    what: 'the legend',
    shows: 'Show the legend: what shapes, badges and lines mean',
  },
  {
    id: 'minimap',
    testid: 'minimap-toggle',
    label: 'Map',
    what: 'the overview map',
    shows: 'Show an overview map of the bands: click it to move there',
  },
] as const;

export const CanvasCorner = ({ view, bottom }: { view: GraphView | undefined; bottom: number }) => {
  const [open, setOpen] = useState({ legend: false, minimap: false });
  return (
    <div className="corner" style={{ bottom }}>
      {open.legend ? <Legend /> : null}
      {open.minimap ? <Minimap cy={view?.cy} /> : null}
      <div className="corner-buttons">
        {OVERLAYS.map(({ id, ...toggle }) => (
          <CornerToggle key={id} {...toggle} open={open[id]} onToggle={() => setOpen({ ...open, [id]: !open[id] })} />
        ))}
      </div>
    </div>
  );
};
