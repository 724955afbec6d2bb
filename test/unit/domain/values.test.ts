import { describe, expect, it } from 'vitest';
import { RecordCommitmentBody } from '../../../src/domain/commands.js';
import { CommitmentRecorded } from '../../../src/domain/events.js';
import {
  DueInput,
  Instant,
  IsoDate,
  IsoDuration,
  Parties,
  isRealDate,
} from '../../../src/domain/values.js';

describe('IsoDate', () => {
  it.each(['2025-02-28', '2024-02-29', '2025-12-31', '2000-02-29'])('accepts %s', (d) => {
    expect(IsoDate.parse(d)).toBe(d);
  });

  it.each([
    '2025-02-30',
    '2025-02-29',
    '1900-02-29',
    '2025-13-01',
    '2025-00-10',
    '2025-04-31',
    '2025-1-5',
    '20250101',
    '2025-01-01T00:00:00Z',
    '',
  ])('rejects %j', (d) => {
    expect(IsoDate.safeParse(d).success).toBe(false);
    expect(isRealDate(d)).toBe(false);
  });
});

describe('Parties', () => {
  it('upper-cases two-letter country codes and keeps organisation names', () => {
    expect(Parties.parse(['uz', 'Kz', 'Shanghai Cooperation Organisation', 'eu'])).toEqual([
      'UZ',
      'KZ',
      'Shanghai Cooperation Organisation',
      'EU',
    ]);
  });

  it('drops duplicates after upper-casing, and needs at least one party', () => {
    expect(Parties.parse(['uz', 'UZ'])).toEqual(['UZ']);
    expect(Parties.safeParse([]).success).toBe(false);
    expect(Parties.safeParse(['  ']).success).toBe(false);
  });
});

describe('other values', () => {
  it('Instant normalises to UTC with milliseconds and rejects zone-less or impossible instants', () => {
    expect(Instant.parse('2025-11-15T12:00:00+02:00')).toBe('2025-11-15T10:00:00.000Z');
    expect(Instant.safeParse('2025-11-15T12:00:00').success).toBe(false);
    expect(Instant.safeParse('2025-02-30T12:00:00Z').success).toBe(false);
  });

  it('IsoDuration accepts positive ISO-8601 durations in whole calendar units only', () => {
    for (const d of ['P3M', 'P30D', 'P1Y6M', 'P2W'])
      expect(IsoDuration.safeParse(d).success).toBe(true);
    // Fractions and time parts would be silently truncated by calendar arithmetic: refused.
    for (const d of [
      '3M',
      'P',
      'P0D',
      '-P1M',
      'every 3 months',
      'PT12H',
      'PT36H',
      'P1.5M',
      'P0.5D',
    ])
      expect(IsoDuration.safeParse(d).success).toBe(false);
  });

  it('DueInput is exactly one of {text}, {edtf}, {latest}', () => {
    expect(DueInput.safeParse({ text: 'by 2030' }).success).toBe(true);
    expect(DueInput.safeParse({ latest: '2025-02-30' }).success).toBe(false);
    expect(DueInput.safeParse({ text: 'by 2030', latest: '2030-12-31' }).success).toBe(false);
    expect(DueInput.safeParse({}).success).toBe(false);
  });

  it('RecordCommitmentBody is strict and upper-cases parties', () => {
    const body = {
      title: 'T',
      kind: 'target',
      parties: ['uz'],
      statement: { quote: 'q', madeAt: '2025-11-15' },
      source: { publisher: 'p', publishedAt: '2025-11-15' },
    };
    expect(RecordCommitmentBody.parse(body).parties).toEqual(['UZ']);
    expect(RecordCommitmentBody.safeParse({ ...body, colour: 'red' }).success).toBe(false);
    expect(
      RecordCommitmentBody.safeParse({ ...body, statement: { quote: 'q', madeAt: '2025-02-30' } })
        .success,
    ).toBe(false);
  });

  it('CommitmentRecorded rejects an impossible date in due', () => {
    const data = {
      id: 'abc',
      title: 'T',
      kind: 'target',
      parties: ['UZ'],
      statement: { quote: 'q', madeAt: '2025-11-15' },
      source: { publisher: 'p', publishedAt: '2025-11-15' },
      metric: null,
      due: { text: null, edtf: '2025-02', earliest: '2025-02-01', latest: '2025-02-30' },
      reviewEvery: 'P3M',
      tags: [],
    };
    expect(CommitmentRecorded.safeParse(data).success).toBe(false);
    expect(
      CommitmentRecorded.safeParse({ ...data, due: { ...data.due, latest: '2025-02-28' } }).success,
    ).toBe(true);
  });
});

describe('duration bounds', () => {
  it('rejects a review interval beyond a century, which date arithmetic cannot represent', async () => {
    const { IsoDuration } = await import('../../../src/domain/values.js');
    expect(IsoDuration.safeParse('P9999999Y').success).toBe(false);
    expect(IsoDuration.safeParse('P100Y').success).toBe(true);
  });

  it('saturates follow-up arithmetic at 9999-12-31 instead of throwing', async () => {
    const { addIsoDurationClamped, addIsoDuration } =
      await import('../../../src/domain/duration.js');
    expect(addIsoDurationClamped('9999-11-15', 'P3M')).toBe('9999-12-31');
    expect(() => addIsoDuration('9999-11-15', 'P3M')).toThrow(RangeError);
    expect(addIsoDurationClamped('2026-01-31', 'P1M')).toBe('2026-02-28');
  });
});
