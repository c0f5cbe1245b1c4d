// IAM names shared by the readers and the role level: ARN wildcards as IAM matches them.

const cache = new Map<string, RegExp>();

/**
 * An IAM resource pattern against an ARN: `*` matches any run of characters, `?` one character,
 * case-insensitively (IAM policy Resource element; ARNs with wildcards).
 */
export const iamGlobMatch = (pattern: string, value: string): boolean => {
  let re = cache.get(pattern);
  if (!re) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, 'i');
    if (cache.size > 10000) cache.clear();
    cache.set(pattern, re);
  }
  return re.test(value);
};

export const hasIamWildcard = (pattern: string): boolean => pattern.includes('*') || pattern.includes('?');
