/**
 * Two writers of the hashed text: `src/shared/canonical-json.ts` `canonicalJson` (the rule's one
 * home) and the embedded store's fast path `src/store/sqlite/canonical.ts` `fastCanonicalJson`.
 * The fast one stays only while this property holds: the same text for every JSON value
 * (with `undefined` members and array holes, which both must treat the same).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { canonicalJson } from '../../../src/shared/canonical-json.js';
import { fastCanonicalJson } from '../../../src/store/sqlite/canonical.js';

const value = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.string({ unit: 'grapheme' }),
    fc.string({ unit: 'binary' }),
    fc.constant(undefined),
    fc.array(tie('v'), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('v'), { maxKeys: 6 }),
  ),
}));

describe('canonical JSON: the fast writer equals the rule', () => {
  it('gives the same text for any value (objects, arrays, undefined members, unicode keys)', () => {
    fc.assert(
      fc.property(
        value.v.filter((v) => v !== undefined),
        (v) => {
          expect(fastCanonicalJson(v)).toBe(canonicalJson(v));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('both refuse what JSON cannot hold at the top', () => {
    expect(() => fastCanonicalJson(undefined)).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });
});
