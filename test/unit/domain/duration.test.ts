import { add } from 'date-fns';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addIsoDuration, addIsoDurationClamped, MAX_DATE } from '../../../src/domain/duration.js';
import { daysInMonth, isRealDate } from '../../../src/domain/values.js';

/** The rule the tracker follows, as date-fns computes it in local time (the oracle). */
function oracle(date: string, y: number, m: number, w: number, d: number): string {
  const [yy, mm, dd] = date.split('-').map(Number) as [number, number, number];
  const local = new Date(2000, 0, 1);
  local.setFullYear(yy, mm - 1, dd);
  local.setHours(0, 0, 0, 0);
  const r = add(local, { years: y, months: m, weeks: w, days: d });
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(r.getFullYear(), 4)}-${pad(r.getMonth() + 1)}-${pad(r.getDate())}`;
}

const realDate = fc
  .record({
    y: fc.integer({ min: 1000, max: 9800 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 31 }),
  })
  .map(({ y, m, d }) => ({ y, m, d: Math.min(d, daysInMonth(y, m)) }))
  .map(
    ({ y, m, d }) =>
      `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
  );

describe('addIsoDuration against date-fns', () => {
  it('gives the date-fns answer for whole years, months, weeks and days', () => {
    fc.assert(
      fc.property(
        realDate,
        fc.nat(100),
        fc.nat(30),
        fc.nat(60),
        fc.nat(800),
        (date, y, m, w, d) => {
          const duration = `P${y}Y${m}M${w}W${d}D`;
          expect(addIsoDuration(date, duration)).toBe(oracle(date, y, m, w, d));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('counts time parts only in whole days', () => {
    expect(addIsoDuration('2025-11-15', 'PT47H59M')).toBe('2025-11-16');
    expect(addIsoDuration('2025-11-15', 'P1DT48H')).toBe('2025-11-18');
  });

  it('rejects fractional units instead of guessing', () => {
    expect(() => addIsoDuration('2025-11-15', 'P1.5M')).toThrow(TypeError);
    expect(() => addIsoDurationClamped('2025-11-15', 'P0.5Y')).toThrow(TypeError);
  });

  it('saturates only past 9999-12-31, and still rejects bad input', () => {
    expect(addIsoDurationClamped('9999-12-30', 'P1D')).toBe('9999-12-31');
    expect(addIsoDurationClamped('9999-12-31', 'P1D')).toBe(MAX_DATE);
    expect(() => addIsoDuration('9999-12-31', 'P1D')).toThrow(RangeError);
    expect(() => addIsoDurationClamped('2025-13-45x', 'P1D')).toThrow(RangeError);
    expect(() => addIsoDurationClamped('2025-11-15', '-P1D')).toThrow(RangeError);
  });
});

describe('isRealDate', () => {
  it('agrees with Date on every day of a 400-year cycle', () => {
    for (let t = Date.UTC(2000, 0, 1); t < Date.UTC(2400, 0, 1); t += 86_400_000) {
      const s = new Date(t).toISOString().slice(0, 10);
      if (!isRealDate(s)) throw new Error(`rejected ${s}`);
    }
    expect(isRealDate('2100-02-29')).toBe(false);
    expect(isRealDate('2000-02-29')).toBe(true);
    expect(isRealDate('0004-02-29')).toBe(true);
  });
});
