// A toolbar menu drawn as a select (Samples, Export): picking an entry runs its action and the select goes back to its prompt.
/** An entry of the Samples or Export menu: an action's id and label (src/ui/actions). */
export interface MenuEntry {
  id: string;
  label: string;
}

/** The entries as options, by id. */
export const MenuOptions = ({ entries }: { entries: readonly MenuEntry[] }) =>
  entries.map((x) => (
    <option key={x.id} value={x.id}>
      {x.label}
    </option>
  ));

/** `groups` are drawn as optgroups; `prompt` is the option shown when nothing is picked. */
export const MenuSelect = ({
  testId,
  title,
  label,
  prompt,
  entries = [],
  groups = [],
  onPick,
}: {
  testId: string;
  title: string;
  label: string;
  prompt: string;
  entries?: readonly MenuEntry[];
  groups?: readonly { label: string; entries: readonly MenuEntry[] }[];
  onPick(id: string): void;
}) => (
  <select
    data-testid={testId}
    title={title}
    aria-label={label}
    value=""
    onChange={(e) => {
      const v = e.currentTarget.value;
      if (v) onPick(v);
    }}
  >
    <option value="">{prompt}</option>
    <MenuOptions entries={entries} />
    {groups.map((g) => (
      <optgroup key={g.label} label={g.label}>
        <MenuOptions entries={g.entries} />
      </optgroup>
    ))}
  </select>
);
