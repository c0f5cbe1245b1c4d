// Test builders for AWS inputs, CLI exports and Terraform state alike: where a fixture's text holds a needle, state resources.

/** 1-based line/column of the first occurrence of `needle` in `text` (the `skip`-th one on). */
export const posOf = (text: string, needle: string, skip = 0): { line: number; column: number } => {
  let at = -1;
  for (let i = 0; i <= skip; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`fixture lacks ${needle}`);
  const before = text.slice(0, at);
  return { line: before.split('\n').length, column: at - before.lastIndexOf('\n') };
};

/** A resource of `terraform show -json` state (values.root_module.resources[]), in a module or not, managed or data. */
export const tfResource = (
  type: string,
  name: string,
  values: Record<string, unknown>,
  module?: string,
  mode = 'managed',
) => ({
  address: `${module ? `${module}.` : ''}${mode === 'data' ? 'data.' : ''}${type}.${name}`,
  mode,
  type,
  name,
  provider_name: 'registry.terraform.io/hashicorp/aws',
  schema_version: 0,
  values,
  sensitive_values: {},
});
