// Offering a file for download from the page; blob: and data: URLs stay inside the page.

export const download = (name: string, href: string): void => {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.click();
};

export const downloadText = (name: string, text: string, type: string): void =>
  download(name, URL.createObjectURL(new Blob([text], { type })));

/** A writer's files, each offered with the type its name says (JSON, Terraform HCL as text, else YAML). */
export const downloadFiles = (files: readonly { name: string; text: string }[]): void => {
  for (const f of files) {
    const type = f.name.endsWith('.json')
      ? 'application/json'
      : f.name.endsWith('.tf')
        ? 'text/plain'
        : 'application/yaml';
    downloadText(f.name, f.text, type);
  }
};

/** A file name stem from the workspace name. */
export const fileStem = (name: string | undefined): string =>
  (name ?? 'segscope')
    .replace(/[^\w.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
