// Own-property writes that treat every key as data: `__proto__` in input never touches a prototype.

export const setOwn = (obj: Record<string, unknown>, key: string, value: unknown): void => {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
};
