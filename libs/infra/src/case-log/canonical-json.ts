/** JSON with object keys sorted at every depth: the same value always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    // A loop into a prototype-less object, not Object.fromEntries over mapped pairs: the same keys, order and
    // output (a "__proto__" key stays an own property), without two arrays per object (it hashes every request body).
    const sorted: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(value).sort()) sorted[k] = sortKeys((value as Record<string, unknown>)[k]);
    return sorted;
  }
  return value;
}
