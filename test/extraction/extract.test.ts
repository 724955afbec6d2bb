/**
 * Behaviour of the extraction rules on chosen sentences: each cue, each amount form, each
 * deadline form, past facts and emphases skipped, two commitments in one sentence.
 */
import { describe, expect, it } from 'vitest';
import { RecordCommitmentBody } from '../../src/domain/index.js';
import {
  ExtractionResponse,
  extract,
  findAmounts,
  findDateline,
  findDeadline,
  splitSentences,
  type ExtractionResult,
} from '../../src/extraction/index.js';

const source = { publisher: 'Test Wire', publishedAt: '2025-11-15' };
const run = (text: string, statementDate = '2025-11-15'): ExtractionResult =>
  extract({ text, source, statementDate });

/** Every candidate's quote is its span, and every body is a valid POST /commitments body. */
function checkInvariants(text: string, r: ExtractionResult): void {
  for (const c of r.candidates) {
    expect(c.quote).toBe(text.slice(c.start, c.end));
    expect(RecordCommitmentBody.safeParse(c.body).success).toBe(true);
    expect(c.body.statement.quote).toBe(c.quote);
    expect(c.confidence).toBeGreaterThan(0);
    expect(c.confidence).toBeLessThanOrEqual(1);
  }
  for (const s of r.skipped) expect(s.quote).toBe(text.slice(s.start, s.end));
}

describe('sentences', () => {
  it('does not split after abbreviations and initials', () => {
    const text =
      'Talks between Sh. Mirziyoyev and K.-Zh. Tokayev took place. Mr. Smith met the U.S. Ambassador at St. Sophia on Nov. 12. The sides agreed.';
    const parts = splitSentences(text).map((s) => text.slice(s.start, s.end));
    expect(parts).toEqual([
      'Talks between Sh. Mirziyoyev and K.-Zh. Tokayev took place.',
      'Mr. Smith met the U.S. Ambassador at St. Sophia on Nov. 12.',
      'The sides agreed.',
    ]);
  });

  it('splits a long line in pieces without cutting a sentence or an abbreviation', () => {
    const sentence =
      'Mr. Smith met Sh. Mirziyoyev at the U.S. Embassy on Nov. 12 and they talked for hours';
    const line = Array.from({ length: 120 }, (_, i) => `${sentence} ${i}.`).join(' ');
    expect(line.length).toBeGreaterThan(10_000);
    const parts = splitSentences(line).map((s) => line.slice(s.start, s.end));
    expect(parts).toHaveLength(120);
    parts.forEach((p, i) => expect(p).toBe(`${sentence} ${i}.`));
    const noStops = 'word '.repeat(3000).trim();
    expect(splitSentences(noStops).map((s) => noStops.slice(s.start, s.end))).toEqual([noStops]);
  });

  it('treats lines as boundaries and marks list items', () => {
    const text = 'Headline without a stop\n1. Agreement between A and B;\n2. Decision on C;';
    const parts = splitSentences(text);
    expect(parts.map((s) => text.slice(s.start, s.end))).toEqual([
      'Headline without a stop',
      '1. Agreement between A and B;',
      '2. Decision on C;',
    ]);
    expect(parts.map((s) => s.listItem)).toEqual([false, true, true]);
  });
});

describe('amounts', () => {
  const one = (s: string) => {
    const [a] = findAmounts(s);
    return a ? { value: a.value, unit: a.unit, qualifier: a.qualifier } : null;
  };
  it.each([
    ['$10 billion', 1e10, 'USD'],
    ['$1.5bn', 1.5e9, 'USD'],
    ['USD 2.5 billion', 2.5e9, 'USD'],
    ['10 billion US dollars', 1e10, 'USD'],
    ['1.2 trillion yuan', 1.2e12, 'CNY'],
    ['CNY 1.5bn', 1.5e9, 'CNY'],
    ['US$10 billion', 1e10, 'USD'],
    ['$40Bln', 4e10, 'USD'],
    ['$208mn', 2.08e8, 'USD'],
    ['24 percentage points', 24, 'percentage points'],
    ['10 percent', 10, 'percent'],
    ['3,000 vocational training quotas', 3000, 'vocational training quotas'],
  ])('%s', (text, value, unit) => {
    expect(one(`They spoke of ${text} today.`)).toMatchObject({ value, unit });
  });

  it('says when an amount is a lower bound or approximate', () => {
    expect(one('a portfolio worth over $8 billion')).toMatchObject({
      value: 8e9,
      qualifier: 'lower',
    });
    expect(one('more than 40 flights per week')).toMatchObject({ value: 40, qualifier: 'lower' });
    expect(one('nearly $4 billion')).toMatchObject({ value: 4e9, qualifier: 'approx' });
  });

  it('does not read years, dates, durations or labels as counts', () => {
    expect(
      findAmounts('in 2026, on August 12, for 90 days, Order 14257 and No. 4 of 2025'),
    ).toEqual([]);
  });

  it('marks a conversion in parentheses', () => {
    const [main, conversion] = findAmounts('CNY 1.5bn (over $208mn) in grants');
    expect(main?.parenthetical).toBe(false);
    expect(conversion?.parenthetical).toBe(true);
  });
});

describe('deadlines', () => {
  const ref = '2025-11-15';
  it.each([
    ['in 2026', '2026-01-01', '2026-12-31'],
    ['by 2030', null, '2030-12-31'],
    ['by the end of 2027', null, '2027-12-31'],
    ['by August 12, 2025', null, '2025-08-12'],
    ['by 15 March 2026', null, '2026-03-15'],
    ['next year', '2026-01-01', '2026-12-31'],
    ['this year', '2025-01-01', '2025-12-31'],
    ['by the end of this year', null, '2025-12-31'],
    ['over the next two years', '2025-11-15', '2027-11-15'],
    ['within 18 months', '2025-11-15', '2027-05-15'],
    ['for 2026-2027', '2026-01-01', '2027-12-31'],
    ['for the period 2020-2022', '2020-01-01', '2022-12-31'],
    ['by the end of the month', null, '2025-11-30'],
    ['in the first half of 2026', '2026-01-01', '2026-06-30'],
    ['in Q3 2026', '2026-07-01', '2026-09-30'],
    ['in March 2026', '2026-03-01', '2026-03-31'],
    ['by mid-2027', null, '2027-06-30'],
  ])('%s', (phrase, earliest, latest) => {
    const d = findDeadline(`The work will be done ${phrase} as planned.`, ref);
    expect(d).toMatchObject({ text: phrase, earliest, latest, vague: false });
  });

  it.each(['in the coming years', 'in the near future', 'soon', 'later this week'])(
    '%s is kept as vague, not guessed',
    (phrase) => {
      const d = findDeadline(`They will meet ${phrase}.`, ref);
      expect(d).toMatchObject({ text: phrase, vague: true, earliest: null, latest: null });
    },
  );

  it('ignores dates that are not deadlines', () => {
    expect(
      findDeadline('Executive Order 14257 of April 2, 2025, starting on August 12, 2025', ref),
    ).toBeNull();
  });
});

describe('statement date', () => {
  it('comes from the request first', () => {
    const text = 'Tashkent, November 10 (Wire) — The sides agreed to meet in 2026.';
    expect(extract({ text, source, statementDate: '2025-11-12' }).statementDate).toBe('2025-11-12');
  });
  it('then from a dateline, with the year of publication', () => {
    const text = 'Tashkent, November 10 (Wire) — The sides agreed to meet in 2026.';
    expect(extract({ text, source }).statementDate).toBe('2025-11-10');
    expect(findDateline('ASTANA (Wire - 17th May, 2023) Text.', '2023-05-18')?.date).toBe(
      '2023-05-17',
    );
  });
  it('a yearless dateline after the publication day is of the year before', () => {
    expect(findDateline('Astana, December 30 (Wire) — Text.', '2026-01-02')?.date).toBe(
      '2025-12-30',
    );
  });
  it('else from source.publishedAt', () => {
    expect(extract({ text: 'The sides agreed to meet.', source }).statementDate).toBe('2025-11-15');
  });
});

describe('cues', () => {
  const single = (text: string) => {
    const r = run(text);
    checkInvariants(text, r);
    expect(r.candidates).toHaveLength(1);
    return r.candidates[0]!;
  };

  it('"agreement was reached to hold" a meeting: kind meeting, the two countries, deadline', () => {
    const c = single(
      'Uzbek President Shavkat Mirziyoyev met Kazakh President Kassym-Jomart Tokayev. An agreement was reached to hold the first Council of Regional Heads of the two countries in Kazakhstan in 2026.',
    );
    expect(c).toMatchObject({ kind: 'meeting', parties: ['UZ', 'KZ'] });
    expect(c.due).toMatchObject({ earliest: '2026-01-01', latest: '2026-12-31' });
    expect(c.madeBy).toEqual(['Shavkat Mirziyoyev', 'Kassym-Jomart Tokayev']);
    expect(c.reasons).toContain('cue: An agreement was reached to');
    expect(c.reasons).toContain('deadline: in 2026');
    expect(c.body.due).toEqual({ text: 'in 2026' });
  });

  it('"will" with an amount: a target of the subject state', () => {
    const c = single('Xi Jinping announced that China will provide CNY 1.5bn in grants in 2025.');
    expect(c).toMatchObject({ kind: 'target', parties: ['CN'] });
    expect(c.metric).toMatchObject({ unit: 'CNY', target: 1.5e9, name: 'grants' });
    expect(c.quote).toBe('China will provide CNY 1.5bn in grants in 2025.');
  });

  it('"it has been proposed to": a proposal', () => {
    const c = single(
      'Kazakhstan and Uzbekistan held talks. To promote these projects, it has been proposed to launch a joint investment platform.',
    );
    expect(c).toMatchObject({ kind: 'proposal', parties: ['KZ', 'UZ'] });
    expect(c.title).toBe('Launch a joint investment platform');
  });

  it('"I propose" in reported speech: the speaker\'s state', () => {
    const text =
      'Kazakh President Kassym-Jomart Tokayev met his counterpart.\n"I propose to set a new target of $40 billion by 2030," he said.';
    const c = single(text);
    expect(c).toMatchObject({
      kind: 'proposal',
      parties: ['KZ'],
      madeBy: ['Kassym-Jomart Tokayev'],
    });
    expect(c.metric?.target).toBe(4e10);
  });

  it('"expressed intention to bring … to $15 billion": a target with the baseline the text gives', () => {
    const c = single(
      'President of Türkiye Recep Tayyip Erdoğan expressed intention to bring bilateral trade turnover with Kazakhstan to $15 billion. Last year, trade between the countries reached $6 billion.',
    );
    expect(c).toMatchObject({ kind: 'target', parties: ['TR'], madeBy: ['Recep Tayyip Erdoğan'] });
    expect(c.metric).toMatchObject({
      target: 1.5e10,
      baseline: { value: 6e9, asOf: '2024-12-31' },
    });
  });

  it('"the goal is to increase this figure": the baseline of the figure before it', () => {
    const text =
      'Uzbekistan and Kazakhstan held talks. Trade turnover since the beginning of the year has reached $4 billion. The goal is to increase this figure to $10 billion.';
    const c = single(text);
    expect(c.metric).toEqual({
      name: 'trade turnover',
      unit: 'USD',
      baseline: { value: 4e9, asOf: '2025-11-15' },
      target: 1e10,
    });
  });

  it('"has been prepared" of a project portfolio: a project, the lower bound said', () => {
    const c = single(
      'Kazakhstan and Uzbekistan met. A project portfolio worth over $8 billion has been prepared to develop industrial cooperation.',
    );
    expect(c.kind).toBe('project');
    expect(c.metric).toMatchObject({ target: 8e9, unit: 'USD', name: 'project portfolio' });
    expect(c.reasons).toContain('amount: over $8 billion (a lower bound)');
  });

  it('"will be adopted by the end of the month": an agreement with its deadline', () => {
    const c = single(
      'Uzbekistan and Kazakhstan met in Astana.\nTo this end, a separate program will be adopted by the end of the month.',
    );
    expect(c).toMatchObject({ kind: 'agreement', parties: ['UZ', 'KZ'] });
    expect(c.due).toMatchObject({ latest: '2025-11-30' });
  });

  it('"will host" a meeting of a group: the group\'s states', () => {
    const c = single(
      'Bishkek, Kyrgyzstan will host the next meeting of the heads of Central Asian states in 2020.',
    );
    expect(c.kind).toBe('meeting');
    expect([...c.parties].sort()).toEqual(['KG', 'KZ', 'TJ', 'TM', 'UZ']);
  });

  it('"is ready to" is a candidate, hedged and of low confidence', () => {
    const c = single('Kazakhstan is ready to supply legumes and chilled beef.');
    expect(c.parties).toEqual(['KZ']);
    expect(c.confidence).toBeLessThan(0.5);
    expect(c.reasons.some((r) => r.startsWith('hedged:'))).toBe(true);
  });

  it('documents listed after "signed … which include:" are agreements', () => {
    const text =
      'Kazakhstan and Uzbekistan signed documents, which include:\n1. Agreement between the Government of the Republic of Kazakhstan and the Government of the Republic of Uzbekistan on holding joint military exercises;\n2. Cooperation programme between the ministries of justice for 2026-2027;';
    const r = run(text);
    checkInvariants(text, r);
    expect(r.candidates.map((c) => c.kind)).toEqual(['agreement', 'agreement']);
    expect(r.candidates[0]?.quote.startsWith('Agreement between')).toBe(true);
    expect(r.candidates[1]?.due).toMatchObject({ earliest: '2026-01-01', latest: '2027-12-31' });
  });

  it('a vague deadline is kept, never guessed', () => {
    const c = single(
      'Uzbekistan and Kazakhstan met. The sides agreed to open a trade house in the near future.',
    );
    expect(c.due).toEqual({
      text: 'in the near future',
      edtf: null,
      earliest: null,
      latest: null,
      vague: true,
    });
    expect(c.body.due).toEqual({ text: 'in the near future', vague: true });
  });

  it("a country named in a form of the domain's table resolves to its code", () => {
    const c = single('Great Britain will open a consulate in Astana in 2026.');
    expect(c.parties).toEqual(['GB']);
  });
});

describe('reported speech and the states of the text', () => {
  const text = [
    'Astana, March 3 (Wire) — Kazakh President Kassym-Jomart Tokayev and Russian President Vladimir Putin held talks in Moscow.',
    'Japan and Turkmenistan were also mentioned.',
    'The two leaders agreed to double bilateral trade to $20 billion by 2030.',
    'Putin said Russia would supply 2 million tonnes of grain next year.',
    'Russia would like more.',
  ].join('\n');
  const r = extract({ text, source: { publisher: 'Wire', publishedAt: '2025-03-04' } });

  it('"the two leaders" are the states of the lead, not every state named', () => {
    const c = r.candidates.find((x) => x.quote.startsWith('The two leaders'));
    expect(c?.parties).toEqual(['KZ', 'RU']);
    expect(c?.madeBy).toEqual(['Kassym-Jomart Tokayev', 'Vladimir Putin']);
    expect(c?.due?.latest).toBe('2030-12-31');
  });

  it('"said … would" is an undertaking of the reported state; a bare "would" is not', () => {
    const c = r.candidates.find((x) => x.quote.startsWith('Putin said'));
    expect(c).toMatchObject({ kind: 'target', parties: ['RU'], madeBy: ['Vladimir Putin'] });
    expect(c?.metric).toMatchObject({ name: 'grain', unit: 'tonnes', target: 2e6 });
    expect(r.candidates.some((x) => x.quote.startsWith('Russia would like'))).toBe(false);
    expect(r.statementDate).toBe('2025-03-03');
  });
});

describe('skipped', () => {
  it('past facts, with the figure', () => {
    const text =
      'Kazakhstan and Uzbekistan met. 6,500 joint ventures have been established. Cargo volumes are growing, with more than 40 flights per week between the cities.';
    const r = run(text);
    checkInvariants(text, r);
    expect(r.candidates).toEqual([]);
    expect(r.skipped.map((s) => s.reason)).toEqual([
      'past fact: 6,500 joint ventures have been established',
      'past fact: are growing, with more than 40 flights',
    ]);
  });

  it('emphases, discussions and hopes', () => {
    const text =
      'The Chinese president emphasized the importance of cooperation. The parties emphasized that the visit will mark a new milestone. Regional issues were discussed. I hope that your work will widen cooperation.';
    const r = run(text);
    expect(r.candidates).toEqual([]);
    expect(r.skipped.map((s) => s.reason.split(':')[0])).toEqual([
      'emphasis',
      'emphasis',
      'discussion',
      'hope',
    ]);
  });

  it('a hedge without an amount', () => {
    const r = run('The president said that the countries could expand the range of traded goods.');
    expect(r.candidates).toEqual([]);
    expect(r.skipped[0]?.reason).toBe('hedge: could expand');
  });
});

describe('two commitments in one sentence', () => {
  it('enumerated items "(1) … and (2) …" are two candidates with the same subject', () => {
    const text =
      'China will continue to (1) suspend 24 percentage points of the additional rate for 90 days, and (2) adopt all necessary measures to remove the countermeasures.';
    const r = run(text);
    checkInvariants(text, r);
    expect(r.candidates).toHaveLength(2);
    expect(r.candidates.map((c) => c.parties)).toEqual([['CN'], ['CN']]);
    expect(r.candidates[0]?.metric?.target).toBe(24);
    expect(r.candidates[0]?.quote.endsWith('for 90 days')).toBe(true);
    expect(r.candidates[1]?.quote.startsWith('adopt all necessary measures')).toBe(true);
  });

  it('two cues of different kinds split at the clause boundary', () => {
    const text =
      'Kazakhstan and Türkiye met. He expects the fifth meeting of the Council, scheduled for next year in Ankara, to result in the signing of important agreements on energy.';
    const r = run(text);
    checkInvariants(text, r);
    expect(r.candidates.map((c) => c.kind)).toEqual(['meeting', 'agreement']);
    expect(r.candidates[0]?.quote.endsWith('scheduled for next year in Ankara')).toBe(true);
    expect(r.candidates[1]?.quote).toBe(
      'to result in the signing of important agreements on energy.',
    );
    expect(r.candidates[0]?.due?.latest).toBe('2026-12-31');
  });
});

describe('the response schema', () => {
  it('describes what extract returns', () => {
    const r = run(
      'Uzbekistan and Kazakhstan met. The goal is to raise trade to $10 billion in the coming years. Trade has reached $4 billion.',
    );
    expect(r.candidates[0]?.due?.vague).toBe(true);
    expect(ExtractionResponse.safeParse(r).success).toBe(true);
    expect(ExtractionResponse.safeParse({ ...r, statementDate: 'soon' }).success).toBe(false);
  });
});

describe('repeats', () => {
  it('a headline and its lead give one candidate, noting the other', () => {
    const text =
      'China will provide CNY 1.5bn in grants this year\nChina will provide CNY 1.5bn in grants this year, President Xi Jinping said.';
    const r = run(text);
    expect(r.candidates).toHaveLength(1);
    expect(r.candidates[0]?.reasons.some((x) => x.startsWith('also stated:'))).toBe(true);
  });
});
