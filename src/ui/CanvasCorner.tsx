// The canvas's lower corner: the legend and the overview map, each behind its own toggle.
import { useState } from 'react';
import type { GraphView } from '../graph/adapter';
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
        <button
          type="button"
          data-testid="legend-toggle"
          title={legend ? 'Hide the legend' : 'Show the legend: what shapes, badges and lines mean'}
          aria-label={legend ? 'hide the legend' : 'show the legend'}
          aria-expanded={legend}
          onClick={() => setLegend(!legend)}
        >
          Legend {legend ? '▾' : '▴'}
        </button>
        <button
          type="button"
          data-testid="minimap-toggle"
          title={minimap ? 'Hide the overview map' : 'Show an overview map of the bands: click it to move there'}
          aria-label={minimap ? 'hide the overview map' : 'show the overview map'}
          aria-expanded={minimap}
          onClick={() => setMinimap(!minimap)}
        >
          Map {minimap ? '▾' : '▴'}
        </button>
      </div>
    </div>
  );
};
