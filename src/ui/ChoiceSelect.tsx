// One select: a first entry that chooses nothing in particular ("all rules", "choose a service"), then the values.
export const ChoiceSelect = <T extends string>({
  label,
  title,
  testId,
  value,
  first,
  options,
  onChange,
}: {
  label: string;
  title?: string;
  testId: string;
  value: T;
  first: { value: T; text: string };
  options: readonly { value: T; text: string }[];
  onChange(value: T): void;
}) => (
  <select
    aria-label={label}
    title={title}
    data-testid={testId}
    value={value}
    onChange={(e) => onChange(e.currentTarget.value as T)}
  >
    <option value={first.value}>{first.text}</option>
    {options.map((o) => (
      <option key={o.value} value={o.value}>
        {o.text}
      </option>
    ))}
  </select>
);
