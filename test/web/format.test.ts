import { describe, expect, it } from 'vitest';
import {
  formatAmount,
  formatDate,
  formatInstant,
  humanise,
  localInputToInstant,
  toCsv,
} from '../../web/src/format.js';

describe('dashboard formatting', () => {
  it('writes dates as 15 Nov 2025 and instants in UTC', () => {
    expect(formatDate('2025-11-15')).toBe('15 Nov 2025');
    expect(formatDate('2030-01-01')).toBe('1 Jan 2030');
    expect(formatInstant('2026-12-01T18:04:05.123Z')).toBe('1 Dec 2026, 18:04:05 UTC');
  });

  it('writes amounts as $10 billion', () => {
    expect(formatAmount(10_000_000_000, 'USD')).toBe('$10 billion');
    expect(formatAmount(4_500_000_000, 'USD')).toBe('$4.5 billion');
    expect(formatAmount(8_000_000, 'EUR')).toBe('€8 million');
    expect(formatAmount(1_200_000, 'tonnes')).toBe('1.2 million tonnes');
    expect(formatAmount(12_500, 'parks')).toBe('12,500 parks');
    expect(formatAmount(45, '%')).toBe('45%');
  });

  it('names statuses in words', () => {
    expect(humanise('partially_fulfilled')).toBe('Partially fulfilled');
  });

  it('reads the time inputs as UTC, to the end of the second given', () => {
    expect(localInputToInstant('2026-01-02T03:04:05')).toBe('2026-01-02T03:04:05.999Z');
    expect(localInputToInstant('2026-01-02T03:04')).toBe('2026-01-02T03:04:59.999Z');
    expect(localInputToInstant('2026-01-02')).toBe('2026-01-02T23:59:59.999Z');
    expect(localInputToInstant('yesterday')).toBeNull();
  });

  it('downloads CSV with a byte-order mark and formula cells neutralised', () => {
    const csv = toCsv([
      ['title', 'note'],
      ['=HYPERLINK("x")', '+cmd|a'],
      ['@SUM(A1)', 'a, "quoted"'],
    ]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[1]).toBe(`"'=HYPERLINK(""x"")",'+cmd|a`);
    expect(lines[2]).toBe(`'@SUM(A1),"a, ""quoted"""`);
  });
});
