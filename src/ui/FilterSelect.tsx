// A findings filter: one select with an "all" entry first, then the values it can narrow to.
export const FilterSelect = <T extends string>({
  label,
  title,
  testId,
  value,
  all,
  options,
  onChange,
}: {
  label: string;
  title: string;
  testId: string;
  value: T | 'all';
  /** The text of the "all" entry. */
  all: string;
  options: readonly { value: T; text: string }[];
  onChange(value: T | 'all'): void;
}) => (
  <select
    aria-label={label}
    title={title}
    data-testid={testId}
    value={value}
    onChange={(e) => onChange(e.currentTarget.value as T | 'all')}
  >
    <option value="all">{all}</option>
    {options.map((o) => (
      <option key={o.value} value={o.value}>
        {o.text}
      </option>
    ))}
  </select>
);
