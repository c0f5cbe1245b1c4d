// The canvas's lower corner: one row of buttons (zoom, legend, map) with the open overlays above it.
//
// Everything that sits on the canvas is here, so nothing covers another control: the overlays open
// side by side above the row (at 1280×720 a stacked legend and map reached the top of the canvas), and
// the corner spans the canvas' height (top and bottom insets), so a legend taller than the room scrolls.
import { useState } from 'react';
import type { GraphView } from '../graph/adapter';
import { CornerToggle } from './CornerToggle';
import { Legend } from './Legend';
import { Minimap } from './Minimap';
import { ZoomButtons } from './ZoomButtons';

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

export const CanvasCorner = ({ view, top, bottom }: { view: GraphView | undefined; top: number; bottom: number }) => {
  const [open, setOpen] = useState({ legend: false, minimap: false });
  return (
    <div className="corner" style={{ top, bottom }}>
      <div className="corner-overlays">
        {open.legend ? <Legend /> : null}
        {open.minimap ? <Minimap cy={view?.cy} /> : null}
      </div>
      <div className="corner-buttons">
        <ZoomButtons view={view} />
        {OVERLAYS.map(({ id, ...toggle }) => (
          <CornerToggle key={id} {...toggle} open={open[id]} onToggle={() => setOpen({ ...open, [id]: !open[id] })} />
        ))}
      </div>
    </div>
  );
};
