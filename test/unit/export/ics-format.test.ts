/** RFC 5545 text escaping and line folding, the CSV cell rule and amount formatting, by themselves. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, escapeText, foldLine, formatAmount } from '../../../src/export/index.js';
import { nextBasicDate } from '../../../src/export/ics.js';

/** Undo the folding: remove every CRLF followed by one space. */
const unfold = (s: string): string => s.replace(/\r\n /g, '');

describe('foldLine', () => {
  it('keeps each physical line within 75 octets, never splits a UTF-8 sequence, and unfolds to the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
        const line = `DESCRIPTION:${s.replace(/[\r\n]/g, '')}`;
        const folded = foldLine(line);
        expect(folded.endsWith('\r\n')).toBe(true);
        const physical = folded.slice(0, -2).split('\r\n');
        physical.forEach((p, i) => {
          expect(Buffer.byteLength(p, 'utf8')).toBeLessThanOrEqual(75);
          if (i > 0) expect(p.startsWith(' ')).toBe(true);
          // A split surrogate pair would not survive a round trip through UTF-8.
          expect(Buffer.from(p, 'utf8').toString('utf8')).toBe(p);
        });
        expect(unfold(folded.slice(0, -2))).toBe(line);
      }),
    );
  });

  it('folds a 3-octet character line at the character boundary', () => {
    const folded = foldLine(`SUMMARY:${'я'.repeat(40)}`); // 8 + 80 octets
    const [first, second] = folded.split('\r\n');
    expect(Buffer.byteLength(first as string)).toBe(74); // 8 + 33×2; one more would be 76
    expect(second).toBe(` ${'я'.repeat(7)}`);
  });
});

describe('escapeText', () => {
  it('escapes backslash, semicolon, comma and newlines, and drops other control characters', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf\u0007g\th')).toBe('a\\\\b\\;c\\,d\\ne\\nfg\th');
  });
});

describe('csvCell', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x"",""y"")`],
    ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ['@SUM(1+1)', "'@SUM(1+1)"],
    ['-2+3', "'-2+3"],
    ['\tTAB', "'\tTAB"],
    ['\rCR', `"'\rCR"`],
    ['plain, text', '"plain, text"'],
  ])('neutralises %j', (input, expected) => {
    // The expected values are written as they appear in the file (quoted when needed).
    const want = expected.startsWith(`'=`) ? `"'=HYPERLINK(""http://x"",""y"")"` : expected;
    expect(csvCell(input)).toBe(want);
  });

  it('leaves numbers alone, negative ones too', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(1e10)).toBe('10000000000');
  });
});

describe('formatAmount', () => {
  it('writes USD with its symbol and groups digits', () => {
    expect(formatAmount(10_000_000_000, 'USD')).toBe('$10,000,000,000');
    expect(formatAmount(-5, 'USD')).toBe('-$5');
    expect(formatAmount(12500.5, 'tonnes')).toBe('12,500.5 tonnes');
    expect(formatAmount(3, '')).toBe('3');
  });
});

describe('nextBasicDate', () => {
  it('agrees with the calendar for every day from 1999 to 2101', () => {
    const d = new Date('1999-01-01T00:00:00.000Z');
    while (d.getUTCFullYear() < 2102) {
      const iso = d.toISOString().slice(0, 10);
      d.setUTCDate(d.getUTCDate() + 1);
      expect(nextBasicDate(iso)).toBe(d.toISOString().slice(0, 10).replace(/-/g, ''));
    }
  });
});
