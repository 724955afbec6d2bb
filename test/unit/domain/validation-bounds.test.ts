/**
 * Issue 20: validation that cannot be made slow. Work is counted, never timed: how many issues
 * a schema reports (a refine that ran would add its own), and how often the duration parser is
 * called.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type * as Tiny from 'tinyduration';

vi.mock('tinyduration', async (importOriginal) => {
  const original = await importOriginal<typeof Tiny>();
  return { ...original, parse: vi.fn(original.parse) };
});

const { parse: tinyParse } = await import('tinyduration');
const values = await import('../../../src/domain/values.js');
const { addIsoDuration } = await import('../../../src/domain/duration.js');
const { CommitmentCommandBodies, RecordCommitmentBody } =
  await import('../../../src/domain/commands.js');

const parseCalls = () => vi.mocked(tinyParse).mock.calls.length;
const LONG_DIGITS = `P${'9'.repeat(64_000)}`;

beforeEach(() => {
  vi.mocked(tinyParse).mockClear();
});

describe('ISO durations: anchored, bounded, and checked before any parser', () => {
  it.each(['P3M', 'P30D', 'P1Y6M', 'P2W', 'P100Y'])('accepts %s', (d) => {
    expect(values.IsoDuration.safeParse(d).success).toBe(true);
  });

  it.each(['<b>P3M</b>', 'xxP3Myy', 'P3M ', ' P3M', 'P', 'P0D', 'PT24H', 'P1.5Y', '-P3M', 'P3m'])(
    'refuses %j',
    (d) => {
      expect(values.IsoDuration.safeParse(d).success).toBe(false);
    },
  );

  it('refuses P + 64,000 digits with one issue (the length) and never calls the parser', () => {
    const r = values.IsoDuration.safeParse(LONG_DIGITS);
    expect(r.success).toBe(false);
    expect(r.error?.issues).toHaveLength(1);
    expect(r.error?.issues[0]?.code).toBe('too_big');
    expect(parseCalls()).toBe(0);
  });

  it('the schema never hands a string to tinyduration, valid or not', () => {
    for (const d of ['P3M', '<b>P3M</b>', 'xxP3Myy', LONG_DIGITS]) values.IsoDuration.safeParse(d);
    expect(parseCalls()).toBe(0);
  });

  it('date arithmetic refuses a malformed or long duration before tinyduration sees it', () => {
    expect(() => addIsoDuration('2025-01-01', LONG_DIGITS)).toThrow(TypeError);
    expect(() => addIsoDuration('2025-01-01', 'xxP3Myy')).toThrow(TypeError);
    expect(() => addIsoDuration('2025-01-01', '<b>P3M</b>')).toThrow(TypeError);
    expect(parseCalls()).toBe(0);
    expect(addIsoDuration('2025-01-01', 'P3M')).toBe('2025-04-01');
    expect(parseCalls()).toBe(1);
  });
});

describe('length limits abort before any refine', () => {
  const MB = 'x'.repeat(1_000_000);
  it.each([
    ['IsoDate', values.IsoDate, `2025-01-01${MB}`],
    ['Instant', values.Instant, `2025-01-01T00:00:00Z${MB}`],
    ['CommitmentId', values.CommitmentId, `a${MB}`],
    ['LanguageTag', values.LanguageTag, `en-${MB}`],
    ['Source.url', values.Source.shape.url, `https://${MB}`],
    ['Party', values.Party, MB],
    ['Note', values.Note, MB],
  ] as const)('%s: a megabyte gives exactly one issue, too_big', (_name, schema, input) => {
    const r = (schema as z.ZodType).safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.code)).toEqual(['too_big']);
  });

  it('a long statement.language is refused at its own path, a 35-character tag accepted', () => {
    const tag35 = 'zh-Hant-TW-x-abcdefgh-abcdefg-abcd'.padEnd(35, 'a');
    expect(tag35).toHaveLength(35);
    expect(values.LanguageTag.safeParse(tag35).success).toBe(true);
    expect(values.LanguageTag.safeParse(`${tag35}a`).success).toBe(false);
    expect(values.LanguageTag.safeParse('en').success).toBe(true);
    expect(values.LanguageTag.safeParse('<script>').success).toBe(false);
  });
});

/** Every `type: string` in a JSON Schema, with its path. */
function strings(schema: unknown, path: string, out: Array<[string, Record<string, unknown>]>) {
  if (schema === null || typeof schema !== 'object') return;
  const s = schema as Record<string, unknown>;
  if (s.type === 'string') out.push([path, s]);
  for (const [k, v] of Object.entries(s)) {
    if (k === 'properties' && v && typeof v === 'object') {
      for (const [p, sub] of Object.entries(v)) strings(sub, `${path}.${p}`, out);
    } else if (Array.isArray(v)) v.forEach((sub, i) => strings(sub, `${path}[${i}]`, out));
    else if (typeof v === 'object') strings(v, path, out);
  }
}

describe('every free string in a body has a maximum', () => {
  const bodies: Array<[string, z.ZodType]> = [
    ['RecordCommitment', RecordCommitmentBody],
    ...Object.entries(CommitmentCommandBodies).map(([k, v]): [string, z.ZodType] => [k, v]),
  ];
  it.each(bodies)('%s', (_name, body) => {
    const found: Array<[string, Record<string, unknown>]> = [];
    strings(z.toJSONSchema(body, { io: 'input', unrepresentable: 'any' }), '', found);
    expect(found.length).toBeGreaterThan(0);
    const unbounded = found
      .filter(
        ([, s]) => typeof s.maxLength !== 'number' && s.enum === undefined && s.const === undefined,
      )
      .map(([p]) => p);
    expect(unbounded).toEqual([]);
  });
});
