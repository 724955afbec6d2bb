/**
 * A faster writer of exactly the text of `src/shared/canonical-json.ts` `canonicalJson`, the
 * rule's one home (loops instead of map/filter/join). The append path calls it once per event
 * for the stored data, which is also the hashed text, so both writers must give the same text
 * for every value: `test/unit/store/canonical.property.test.ts` holds them equal.
 */
export function fastCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const s = JSON.stringify(value);
    if (s === undefined) throw new TypeError(`cannot canonicalise ${typeof value}`);
    return s;
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) {
      if (i > 0) out += ',';
      const v: unknown = value[i];
      out += v === undefined ? 'null' : fastCanonicalJson(v);
    }
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(k)}:${fastCanonicalJson(v)}`;
  }
  return `${out}}`;
}
