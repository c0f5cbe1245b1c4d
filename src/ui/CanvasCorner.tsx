// The canvas's lower corner: the legend and the overview map, each behind its own toggle.
import { useState } from 'react';
import type { GraphView } from '../graph/adapter';
import { CornerToggle } from './CornerToggle';
import { Legend } from './Legend';
import { Minimap } from './Minimap';

export const CanvasCorner = ({ view, bottom }: { view: GraphView | undefined; bottom: number }) => {
  const [legend, setLegend] = useState(false);
  const [minimap, setMinimap] = useState(false);
  return (
    <div className="corner" style={{ bottom }}>
      {legend ? <Legend /> : null}
      {minimap ? <Minimap cy={view?.cy} /> : null}
      <div className="corner-buttons">
        <CornerToggle
          testid="legend-toggle"
          label="Legend"
          what="the legend"
          shows="Show the legend: what shapes, badges and lines mean"
          open={legend}
          onToggle={() => setLegend(!legend)}
        />
        <CornerToggle
          testid="minimap-toggle"
          label="Map"
          what="the overview map"
          shows="Show an overview map of the bands: click it to move there"
          open={minimap}
          onToggle={() => setMinimap(!minimap)}
        />
      </div>
    </div>
  );
};
