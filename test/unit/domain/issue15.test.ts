/**
 * Issue 15 in the decider and the deadline table: per-party assessments, honest dates, deadline
 * revisions anchored on their source, vague deadlines kept, the new phrases.
 */
import { describe, expect, it } from 'vitest';
import type { Command, RecordCommitmentBody } from '../../../src/domain/commands.js';
import {
  AssessPartyBody,
  RecordCommitmentBody as RecordBody,
} from '../../../src/domain/commands.js';
import type { z } from 'zod';
import { interpretDue } from '../../../src/domain/deadline.js';
import {
  decide,
  evolveDecision,
  initialDecisionState,
  type DecisionState,
} from '../../../src/domain/decide.js';
import { InvalidInputError, UnprocessableError } from '../../../src/domain/errors.js';
import { EventSchemas, type DomainEvent } from '../../../src/domain/events.js';
import { DueInput } from '../../../src/domain/values.js';

const MADE_AT = '2025-11-15';
const TODAY = '2026-01-10';

const body: RecordCommitmentBody = {
  id: 'uz-kz-trade-10b',
  title: 'Raise trade to $10 billion',
  kind: 'target',
  parties: ['Uzbekistan', 'Republic of Kazakhstan', 'European Union'],
  statement: { quote: 'The goal is $10 billion', madeAt: MADE_AT },
  source: { publisher: 'Xinhua', publishedAt: MADE_AT },
};

function stateAfter(...commands: Command[]): DecisionState {
  let s = initialDecisionState;
  for (const c of commands)
    for (const e of decide(s, c, { today: TODAY })) s = evolveDecision(s, e);
  return s;
}
const recorded = () => stateAfter({ type: 'RecordCommitment', body: RecordBody.parse(body) });

function refusal(run: () => unknown): UnprocessableError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(UnprocessableError);
    return e as UnprocessableError;
  }
  throw new Error('expected the command to be refused');
}

const assess = (over: Partial<z.input<typeof AssessPartyBody>> = {}): Command => ({
  type: 'AssessParty',
  body: AssessPartyBody.parse({
    party: 'KZ',
    score: 1,
    phase: 'interim',
    report: { name: 'Interim report', publishedAt: '2026-01-05', periodEnd: '2025-12-31' },
    ...over,
  }),
});

describe('country names are stored as codes', () => {
  it('RecordCommitment stores UZ and KZ, keeps the organisation name', () => {
    const [e] = decide(
      initialDecisionState,
      { type: 'RecordCommitment', body: RecordBody.parse(body) },
      { today: TODAY },
    );
    expect(e?.type === 'CommitmentRecorded' && e.data.parties).toEqual([
      'UZ',
      'KZ',
      'European Union',
    ]);
  });

  it('stored names are normalised on read, without rewriting the event', () => {
    const stored = {
      ...body,
      parties: ['Kazakhstan', 'KZ'],
      metric: null,
      due: null,
      reviewEvery: 'P3M',
      tags: [],
    };
    expect(EventSchemas.CommitmentRecorded.parse(stored).parties).toEqual(['KZ']);
    expect(stored.parties).toEqual(['Kazakhstan', 'KZ']);
  });
});

describe('AssessParty → PartyAssessed', () => {
  it('appends the assessment of one of the commitment parties, named any way', () => {
    const s = stateAfter({
      type: 'RecordCommitment',
      body: { ...body, parties: ['UZ', 'KZ', 'European Union'] },
    });
    const events = decide(s, assess({ party: 'Kazakhstan', note: 'Met the target' }), {
      today: TODAY,
    });
    expect(events).toEqual<DomainEvent[]>([
      {
        type: 'PartyAssessed',
        data: {
          party: 'KZ',
          score: 1,
          phase: 'interim',
          report: { name: 'Interim report', publishedAt: '2026-01-05', periodEnd: '2025-12-31' },
          note: 'Met the target',
        },
      },
    ]);
    expect(EventSchemas.PartyAssessed.parse(events[0]?.data)).toEqual(events[0]?.data);
  });

  it('refuses a party that is not one of the commitment parties (422 at party)', () => {
    const s = stateAfter({ type: 'RecordCommitment', body: { ...body, parties: ['UZ', 'KZ'] } });
    const e = refusal(() => decide(s, assess({ party: 'China' }), { today: TODAY }));
    expect(e.code).toBe('not_a_party');
    expect(e.path).toBe('party');
    expect(e.message).toContain('CN');
  });

  it('takes only -1, 0, 1 and interim or final', () => {
    expect(AssessPartyBody.safeParse({ ...assess().body, score: 2 }).success).toBe(false);
    expect(AssessPartyBody.safeParse({ ...assess().body, score: 0.5 }).success).toBe(false);
    expect(AssessPartyBody.safeParse({ ...assess().body, phase: 'draft' }).success).toBe(false);
    expect(AssessPartyBody.safeParse({ ...assess().body, score: -1, phase: 'final' }).success).toBe(
      true,
    );
  });

  it('holds the report dates honest', () => {
    const s = stateAfter({ type: 'RecordCommitment', body: { ...body, parties: ['UZ', 'KZ'] } });
    const late = refusal(() =>
      decide(
        s,
        assess({ report: { name: 'r', publishedAt: '2026-02-01', periodEnd: '2026-01-01' } }),
        {
          today: TODAY,
        },
      ),
    );
    expect([late.code, late.path, late.bound]).toEqual([
      'date_in_future',
      'report.publishedAt',
      TODAY,
    ]);
    const early = refusal(() =>
      decide(
        s,
        assess({ report: { name: 'r', publishedAt: '2026-01-01', periodEnd: '2025-01-01' } }),
        {
          today: TODAY,
        },
      ),
    );
    expect([early.code, early.path, early.bound]).toEqual([
      'date_before_statement',
      'report.periodEnd',
      MADE_AT,
    ]);
    const after = refusal(() =>
      decide(
        s,
        assess({ report: { name: 'r', publishedAt: '2025-12-01', periodEnd: '2025-12-31' } }),
        {
          today: TODAY,
        },
      ),
    );
    expect([after.path, after.bound]).toEqual(['report.periodEnd', '2025-12-01']);
  });
});

describe('honest dates', () => {
  const cases: Array<[string, Command, string]> = [
    ['progress asOf', { type: 'ReportProgress', body: { asOf: '2099-01-01' } }, 'asOf'],
    [
      'review reviewedAt',
      { type: 'RecordReview', body: { reviewedAt: '2099-01-01', assessment: 'on_track' } },
      'reviewedAt',
    ],
    [
      'outcome decidedAt',
      { type: 'RecordOutcome', body: { outcome: 'fulfilled', decidedAt: '2099-01-01' } },
      'decidedAt',
    ],
    ['withdrawal at', { type: 'Withdraw', body: { at: '2099-01-01', reason: 'x' } }, 'at'],
  ];

  it.each(cases)(
    '%s after the recording day → 422 naming the field and the bound',
    (_n, cmd, path) => {
      const e = refusal(() => decide(recorded(), cmd, { today: TODAY }));
      expect([e.code, e.path, e.bound]).toEqual(['date_in_future', path, TODAY]);
      expect(e.message).toContain(path);
      expect(e.message).toContain(TODAY);
    },
  );

  it.each(cases)(
    '%s before the statement → 422 naming the field and the bound',
    (_n, cmd, path) => {
      const early = JSON.parse(JSON.stringify(cmd).replace('2099-01-01', '1999-01-01')) as Command;
      const e = refusal(() => decide(recorded(), early, { today: TODAY }));
      expect([e.code, e.path, e.bound]).toEqual(['date_before_statement', path, MADE_AT]);
    },
  );

  it.each(cases)('%s on the statement day or the recording day is accepted', (_n, cmd) => {
    for (const d of [MADE_AT, TODAY]) {
      const ok = JSON.parse(JSON.stringify(cmd).replace('2099-01-01', d)) as Command;
      expect(decide(recorded(), ok, { today: TODAY })).toHaveLength(1);
    }
  });

  it('a statement made after the recording day is refused at statement.madeAt', () => {
    const e = refusal(() =>
      decide(
        initialDecisionState,
        {
          type: 'RecordCommitment',
          body: {
            ...body,
            statement: { ...body.statement, madeAt: '2099-01-01' },
            source: { publisher: 'x', publishedAt: '2099-01-01' },
          },
        },
        { today: TODAY },
      ),
    );
    expect([e.code, e.path, e.bound]).toEqual(['date_in_future', 'statement.madeAt', TODAY]);
  });

  it('a source published before the statement is refused at source.publishedAt', () => {
    const e = refusal(() =>
      decide(
        initialDecisionState,
        {
          type: 'RecordCommitment',
          body: { ...body, source: { publisher: 'x', publishedAt: '2025-11-14' } },
        },
        { today: TODAY },
      ),
    );
    expect([e.code, e.path, e.bound]).toEqual([
      'date_before_statement',
      'source.publishedAt',
      MADE_AT,
    ]);
    const f = refusal(() =>
      decide(
        recorded(),
        { type: 'AddSource', body: { source: { publisher: 'y', publishedAt: '2025-01-01' } } },
        { today: TODAY },
      ),
    );
    expect(f.path).toBe('source.publishedAt');
  });

  it('corrections are held to the same rules', () => {
    const s = stateAfter(
      { type: 'RecordCommitment', body },
      { type: 'ReportProgress', body: { asOf: '2025-12-01' } },
    );
    const correct = (madeAt: string): Command => ({
      type: 'CorrectRecord',
      body: { fields: { statement: { quote: 'q', madeAt } }, reason: 'wrong date' } as never,
    });
    const future = refusal(() => decide(s, correct('2099-01-01'), { today: TODAY }));
    expect([future.code, future.path, future.bound]).toEqual([
      'date_in_future',
      'fields.statement.madeAt',
      TODAY,
    ]);
    // The source was published on 2025-11-15: the statement cannot move after it.
    const afterSource = refusal(() => decide(s, correct('2025-11-20'), { today: TODAY }));
    expect([afterSource.path, afterSource.bound]).toEqual(['fields.statement.madeAt', MADE_AT]);
    expect(decide(s, correct('2025-11-01'), { today: TODAY })).toHaveLength(1);
    // After the correction the new statement date bounds later observations.
    const moved = [...decide(s, correct('2025-11-01'), { today: TODAY })].reduce(evolveDecision, s);
    expect(
      decide(moved, { type: 'ReportProgress', body: { asOf: '2025-11-05' } }, { today: TODAY }),
    ).toHaveLength(1);
  });
});

describe('deadline revisions resolve against their source', () => {
  it('"next year" with a source published 2025-11-20 means 2026, even when recorded in 2027', () => {
    const [e] = decide(
      recorded(),
      {
        type: 'ReviseDeadline',
        body: {
          due: { text: 'next year' },
          reason: 'Slipped',
          source: { publisher: 'Kun.uz', publishedAt: '2025-11-20' },
        },
      },
      { today: '2027-03-01' },
    );
    expect(e?.type === 'DeadlineRevised' && e.data.due).toEqual({
      text: 'next year',
      edtf: '2026',
      earliest: '2026-01-01',
      latest: '2026-12-31',
      anchor: '2025-11-20',
    });
  });

  it('without a source, against the recording day', () => {
    const [e] = decide(
      recorded(),
      { type: 'ReviseDeadline', body: { due: { text: 'next year' }, reason: 'x' } },
      { today: '2027-03-01' },
    );
    expect(e?.type === 'DeadlineRevised' && e.data.due).toMatchObject({
      latest: '2028-12-31',
      anchor: '2027-03-01',
    });
  });
});

describe('vague deadlines', () => {
  it('"soon" is refused by default, kept with vague: true', () => {
    expect(() => interpretDue({ text: 'soon' }, MADE_AT)).toThrow(InvalidInputError);
    const input = DueInput.parse({ text: 'soon', vague: true });
    expect(interpretDue(input, MADE_AT)).toEqual({
      text: 'soon',
      edtf: null,
      earliest: null,
      latest: null,
      vague: true,
      anchor: MADE_AT,
    });
  });

  it.each(['in the coming years', 'by 2030 or 2031', 'in due course'])(
    '%j has no single reading: refused unless vague',
    (phrase) => {
      expect(() => interpretDue({ text: phrase }, MADE_AT)).toThrow(InvalidInputError);
      expect(interpretDue({ text: phrase, vague: true }, MADE_AT)).toMatchObject({
        vague: true,
        latest: null,
      });
    },
  );

  it('a vague due is recorded as such', () => {
    const [e] = decide(
      initialDecisionState,
      {
        type: 'RecordCommitment',
        body: RecordBody.parse({ ...body, due: { text: 'soon', vague: true } }),
      },
      { today: TODAY },
    );
    expect(e?.type === 'CommitmentRecorded' && e.data.due).toMatchObject({
      text: 'soon',
      vague: true,
      latest: null,
    });
    expect(EventSchemas.CommitmentRecorded.parse(e?.data)).toEqual(e?.data);
  });
});

describe('phrases experts read one way', () => {
  it.each([
    ['by mid-2027', '2025-11-15', null, '2027-06-30'],
    ['By mid 2027.', '2025-11-15', null, '2027-06-30'],
    ['before the end of the year', '2025-11-15', null, '2025-12-31'],
    ['by the end of next quarter', '2025-11-15', null, '2026-03-31'],
    ['by the end of next quarter', '2025-05-02', null, '2025-09-30'],
    ['by the end of this quarter', '2025-05-02', null, '2025-06-30'],
    ['in the coming year', '2025-11-15', '2025-11-15', '2026-11-15'],
  ])('%j from %s → earliest %s, latest %s', (phrase, ref, earliest, latest) => {
    expect(interpretDue({ text: phrase }, ref)).toMatchObject({ earliest, latest, anchor: ref });
  });
});
