import { describe, expect, it } from 'vitest';
import { interpretDue, DUE_PHRASES_DOC } from '../../../src/domain/deadline.js';
import { addIsoDuration } from '../../../src/domain/duration.js';
import { InvalidInputError } from '../../../src/domain/errors.js';
import { Due } from '../../../src/domain/values.js';

const MADE_AT = '2025-11-15';

type Row = [phrase: string, earliest: string | null, latest: string, edtf: string];

/** Issue 2's phrase table, row by row, plus the extra spellings the brief accepts. */
const TABLE: Row[] = [
  // in 2026, 2026, during 2026
  ['in 2026', '2026-01-01', '2026-12-31', '2026'],
  ['2026', '2026-01-01', '2026-12-31', '2026'],
  ['during 2026', '2026-01-01', '2026-12-31', '2026'],
  // by 2030, by the end of 2030, until 2030
  ['by 2030', null, '2030-12-31', '../2030'],
  ['by the end of 2030', null, '2030-12-31', '../2030'],
  ['until 2030', null, '2030-12-31', '../2030'],
  ['by end-2030', null, '2030-12-31', '../2030'],
  // before 2030
  ['before 2030', null, '2029-12-31', '../2029'],
  // halves
  ['in the first half of 2026', '2026-01-01', '2026-06-30', '2026-40'],
  ['H1 2026', '2026-01-01', '2026-06-30', '2026-40'],
  ['in the second half of 2026', '2026-07-01', '2026-12-31', '2026-41'],
  ['H2 2026', '2026-07-01', '2026-12-31', '2026-41'],
  // quarters
  ['Q1 2026', '2026-01-01', '2026-03-31', '2026-33'],
  ['Q2 2026', '2026-04-01', '2026-06-30', '2026-34'],
  ['Q3 2026', '2026-07-01', '2026-09-30', '2026-35'],
  ['Q4 2026', '2026-10-01', '2026-12-31', '2026-36'],
  ['in the first quarter of 2026', '2026-01-01', '2026-03-31', '2026-33'],
  ['in the second quarter of 2026', '2026-04-01', '2026-06-30', '2026-34'],
  ['in the third quarter of 2026', '2026-07-01', '2026-09-30', '2026-35'],
  ['in the fourth quarter of 2026', '2026-10-01', '2026-12-31', '2026-36'],
  // months
  ['in March 2026', '2026-03-01', '2026-03-31', '2026-03'],
  ['March 2026', '2026-03-01', '2026-03-31', '2026-03'],
  ['February 2028', '2028-02-01', '2028-02-29', '2028-02'],
  ['in February 2026', '2026-02-01', '2026-02-28', '2026-02'],
  ['by March 2026', null, '2026-03-31', '../2026-03'],
  ['by the end of March 2026', null, '2026-03-31', '../2026-03'],
  ['by the end of April 2026', null, '2026-04-30', '../2026-04'],
  // days
  ['by 15 March 2026', null, '2026-03-15', '../2026-03-15'],
  ['by 2026-03-15', null, '2026-03-15', '../2026-03-15'],
  ['by March 15, 2026', null, '2026-03-15', '../2026-03-15'],
  ['by 29 February 2028', null, '2028-02-29', '../2028-02-29'],
  // relative to madeAt (2025-11-15)
  ['this year', '2025-01-01', '2025-12-31', '2025'],
  ['next year', '2026-01-01', '2026-12-31', '2026'],
  ['by the end of this year', null, '2025-12-31', '../2025'],
  ['by the end of next year', null, '2026-12-31', '../2026'],
  ['within two years', '2025-11-15', '2027-11-15', '2025-11-15/2027-11-15'],
  ['within 2 years', '2025-11-15', '2027-11-15', '2025-11-15/2027-11-15'],
  ['within 18 months', '2025-11-15', '2027-05-15', '2025-11-15/2027-05-15'],
  ['within eighteen months', '2025-11-15', '2027-05-15', '2025-11-15/2027-05-15'],
  ['within 90 days', '2025-11-15', '2026-02-13', '2025-11-15/2026-02-13'],
  ['within ninety days', '2025-11-15', '2026-02-13', '2025-11-15/2026-02-13'],
  ['within twenty-four months', '2025-11-15', '2027-11-15', '2025-11-15/2027-11-15'],
  ['within thirty days', '2025-11-15', '2025-12-15', '2025-11-15/2025-12-15'],
  ['within the next 90 days', '2025-11-15', '2026-02-13', '2025-11-15/2026-02-13'],
  ['within 6 weeks', '2025-11-15', '2025-12-27', '2025-11-15/2025-12-27'],
  ['within six weeks', '2025-11-15', '2025-12-27', '2025-11-15/2025-12-27'],
  ['within one year', '2025-11-15', '2026-11-15', '2025-11-15/2026-11-15'],
  ['within twenty days', '2025-11-15', '2025-12-05', '2025-11-15/2025-12-05'],
  ['within 1 month', '2025-11-15', '2025-12-15', '2025-11-15/2025-12-15'],
];

describe('interpretDue {text}: the phrase table', () => {
  it.each(TABLE)('%s → earliest %s, latest %s, edtf %s', (phrase, earliest, latest, edtf) => {
    const due = interpretDue({ text: phrase }, MADE_AT);
    expect(due).toEqual({ text: phrase, edtf, earliest, latest, anchor: MADE_AT });
    expect(Due.parse(due)).toEqual(due);
  });

  it.each([
    ['IN 2026', '2026'],
    ['  by   the   END of  2030  ', '../2030'],
    ['by 2030.', '../2030'],
    ['h1 2026', '2026-40'],
    ['q3 2026.', '2026-35'],
    ['march 2026', '2026-03'],
    ['By March 15,2026', '../2026-03-15'],
    ['WITHIN TWO YEARS.', '2025-11-15/2027-11-15'],
    ['Next Year', '2026'],
  ])('is case-insensitive and tolerates whitespace and a trailing period: %j', (phrase, edtf) => {
    const due = interpretDue({ text: phrase }, MADE_AT);
    expect(due.edtf).toBe(edtf);
    expect(due.text).toBe(phrase);
  });

  it('resolves relative phrases against the reference date it is given', () => {
    expect(interpretDue({ text: 'next year' }, '2030-06-01')).toMatchObject({
      edtf: '2031',
      latest: '2031-12-31',
    });
    expect(interpretDue({ text: 'this year' }, '2030-06-01')).toMatchObject({
      earliest: '2030-01-01',
    });
    expect(interpretDue({ text: 'within 90 days' }, '2030-06-01')).toMatchObject({
      earliest: '2030-06-01',
      latest: '2030-08-30',
    });
  });

  it('clamps month arithmetic at the end of the month', () => {
    expect(interpretDue({ text: 'within 1 month' }, '2025-01-31').latest).toBe('2025-02-28');
    expect(interpretDue({ text: 'within one month' }, '2024-01-31').latest).toBe('2024-02-29');
    expect(interpretDue({ text: 'within two years' }, '2024-02-29').latest).toBe('2026-02-28');
    expect(interpretDue({ text: 'within 18 months' }, '2025-08-31').latest).toBe('2027-02-28');
  });
});

describe('interpretDue {text}: rejections', () => {
  it.each([
    'soon',
    'in due course',
    'by 2030 or 2031',
    '',
    'asap',
    'by 2030 at the latest',
    'around 2030',
    'early 2026',
    'by next year',
    'Q5 2026',
    'H3 2026',
    'in the fifth quarter of 2026',
    'Marchember 2026',
    'by 30 February 2026',
    'by 2026-02-30',
    'by 2026-13-01',
    'within 0 days',
    'within umpteen days',
    'within a while',
    'within 2 decades',
    'within 500 years',
    'in 26',
    'in 0999',
    '20266',
    'by2030',
    'next year 2026',
    'before March 2026',
    'this year and next year',
  ])('rejects %j with a short message naming the field and linking the table', (phrase) => {
    let error: unknown;
    try {
      interpretDue({ text: phrase }, MADE_AT);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    const e = error as InvalidInputError;
    expect(e.path).toBe('due.text');
    expect(e.message).toContain(JSON.stringify(phrase));
    expect(e.message).toContain(DUE_PHRASES_DOC);
    expect(e.message.length).toBeLessThan(300);
  });

  it('reports the path it is given', () => {
    expect(() => interpretDue({ text: 'soon' }, MADE_AT, 'fields.due')).toThrow(
      expect.objectContaining({ path: 'fields.due.text' }),
    );
  });

  it('rejects relative phrases that leave the four-digit calendar', () => {
    expect(() => interpretDue({ text: 'next year' }, '9999-06-01')).toThrow(InvalidInputError);
    expect(() => interpretDue({ text: 'within 2 years' }, '9998-06-01')).toThrow(InvalidInputError);
    expect(interpretDue({ text: 'within 1 year' }, '9998-06-01').latest).toBe('9999-06-01');
  });
});

describe('interpretDue {edtf}', () => {
  it.each([
    ['2026', '2026-01-01', '2026-12-31'],
    ['2026-03', '2026-03-01', '2026-03-31'],
    ['2026-03-15', '2026-03-15', '2026-03-15'],
    ['../2030', null, '2030-12-31'],
    ['/2030', null, '2030-12-31'],
    ['../2026-03', null, '2026-03-31'],
    ['2025-11-15/2027-11-15', '2025-11-15', '2027-11-15'],
    ['2026-40', '2026-01-01', '2026-06-30'],
    ['2026-41', '2026-07-01', '2026-12-31'],
    ['2026-33', '2026-01-01', '2026-03-31'],
    ['2026-34', '2026-04-01', '2026-06-30'],
    ['2026-35', '2026-07-01', '2026-09-30'],
    ['2026-36', '2026-10-01', '2026-12-31'],
    ['2026-21', '2026-01-01', '2026-03-31'],
    ['2026~', '2026-01-01', '2026-12-31'],
    ['2026-03-XX', '2026-03-01', '2026-03-31'],
    ['2028-02', '2028-02-01', '2028-02-29'],
    ['{2026,2028}', '2026-01-01', '2028-12-31'],
  ])('%s → earliest %s, latest %s', (value, earliest, latest) => {
    const due = interpretDue({ edtf: value }, MADE_AT);
    expect(due).toEqual({ text: null, edtf: value, earliest, latest });
    expect(Due.parse(due)).toEqual(due);
  });

  it.each(['2026/..', '2026/', '../..', '2026-03-15/..'])(
    'rejects %j: open or unknown upper bound',
    (value) => {
      expect(() => interpretDue({ edtf: value }, MADE_AT)).toThrow(
        expect.objectContaining({
          name: 'InvalidInputError',
          path: 'due.edtf',
          message: expect.stringMatching(/upper bound/),
        }),
      );
    },
  );

  it.each(['by 2030', '2025-02-30', '2026-13', 'soon', '2026-42', 'Y170000002', '-1000'])(
    'rejects %j',
    (value) => {
      expect(() => interpretDue({ edtf: value }, MADE_AT)).toThrow(
        expect.objectContaining({ name: 'InvalidInputError', path: 'due.edtf' }),
      );
    },
  );

  it('ignores the reference date', () => {
    expect(interpretDue({ edtf: '2026' }, '2000-01-01')).toEqual(
      interpretDue({ edtf: '2026' }, MADE_AT),
    );
  });
});

describe('interpretDue {latest}', () => {
  it('is an open-start deadline ending on that day, like "by <date>"', () => {
    const due = interpretDue({ latest: '2026-03-15' }, MADE_AT);
    expect(due).toEqual({
      text: null,
      edtf: '../2026-03-15',
      earliest: null,
      latest: '2026-03-15',
    });
    const {
      text: _text,
      anchor: _anchor,
      ...window
    } = interpretDue({ text: 'by 2026-03-15' }, MADE_AT);
    expect(due).toEqual({ text: null, ...window });
  });
});

describe('addIsoDuration', () => {
  it.each([
    ['2025-01-31', 'P1M', '2025-02-28'],
    ['2024-01-31', 'P1M', '2024-02-29'],
    ['2025-03-31', 'P1M', '2025-04-30'],
    ['2025-11-15', 'P3M', '2026-02-15'],
    ['2025-11-30', 'P3M', '2026-02-28'],
    ['2024-02-29', 'P1Y', '2025-02-28'],
    ['2025-12-31', 'P1D', '2026-01-01'],
    ['2025-11-15', 'P30D', '2025-12-15'],
    ['2025-11-15', 'P2W', '2025-11-29'],
    ['2025-11-15', 'P1Y6M', '2027-05-15'],
    ['2025-11-15', 'PT24H', '2025-11-16'],
    ['2025-11-15', 'PT23H', '2025-11-15'],
  ])('%s + %s = %s', (date, duration, expected) => {
    expect(addIsoDuration(date, duration)).toBe(expected);
  });

  it('rejects malformed and negative durations', () => {
    expect(() => addIsoDuration('2025-11-15', '3 months')).toThrow();
    expect(() => addIsoDuration('2025-11-15', '-P1M')).toThrow();
  });
});
