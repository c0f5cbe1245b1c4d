// A corner button that shows or hides one canvas overlay (the legend, the overview map).
export const CornerToggle = ({
  testid,
  label,
  what,
  shows,
  open,
  onToggle,
}: {
  testid: string;
  label: string;
  /** The overlay, as its aria-label names it: "the legend". */
  what: string;
  /** The title when hidden: what showing it gives. */
  shows: string;
  open: boolean;
  onToggle(): void;
}) => (
  <button
    type="button"
    data-testid={testid}
    title={open ? `Hide ${what}` : shows}
    aria-label={`${open ? 'hide' : 'show'} ${what}`}
    aria-expanded={open}
    onClick={onToggle}
  >
    {label} {open ? '▾' : '▴'}
  </button>
);
