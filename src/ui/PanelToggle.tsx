// A toolbar edge button that shows or hides a side panel.
/** Which side panels are shown; the toolbar's edge buttons toggle them. */
export interface PanelState {
  left: boolean;
  right: boolean;
}

const ICONS: Record<keyof PanelState, string> = { left: '◧', right: '◨' };

/** `what` names what the panel holds, in the button's title. */
export const PanelToggle = ({
  side,
  panels,
  what,
  onToggle,
}: {
  side: keyof PanelState;
  panels: PanelState;
  what: string;
  onToggle(side: keyof PanelState): void;
}) => {
  const title = `${panels[side] ? 'Hide' : 'Show'} the ${side} panel (${what})`;
  return (
    <button
      type="button"
      className="icon"
      data-testid={`toggle-${side}`}
      title={title}
      aria-label={title}
      aria-pressed={panels[side]}
      onClick={() => onToggle(side)}
    >
      {ICONS[side]}
    </button>
  );
};
