// Detecting a Terraform state: `terraform show -json` output, or a raw version 4 state file.
import type { FileInput } from '../../import/types';
import { isObj } from '../aws/builder';

export const detectTerraform = (file: FileInput, parsed: unknown): boolean => {
  if (parsed === undefined)
    return (
      /^\s*\{\s*"(format_version|version)"\s*:/.test(file.text.slice(0, 200)) &&
      file.text.includes('"terraform_version"')
    );
  if (!isObj(parsed)) return false;
  if (typeof parsed.format_version === 'string') return true;
  return (
    typeof parsed.version === 'number' &&
    typeof parsed.terraform_version === 'string' &&
    Array.isArray(parsed.resources)
  );
};
