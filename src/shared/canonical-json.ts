/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, `undefined`
 * members dropped, as JSON.stringify writes strings and numbers (RFC 8785 in spirit).
 * The hash chain and the idempotency request hash both depend on this exact text.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const s = JSON.stringify(value);
    if (s === undefined) throw new TypeError(`cannot canonicalise ${typeof value}`);
    return s;
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}
