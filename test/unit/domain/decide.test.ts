import { describe, expect, it } from 'vitest';
import type { Command, RecordCommitmentBody } from '../../../src/domain/commands.js';
import { decide, evolveDecision, initialDecisionState } from '../../../src/domain/decide.js';
import { DomainError } from '../../../src/domain/errors.js';
import type { DomainEvent, EventData } from '../../../src/domain/events.js';
import { given } from './decider-spec.js';

const source = {
  publisher: 'Xinhua',
  title: 'Talks in Tashkent',
  url: 'https://example.org/a',
  publishedAt: '2025-11-15',
};
const statement = {
  quote: 'The goal is to increase this figure to $10 billion',
  madeAt: '2025-11-15',
  madeBy: ['Shavkat Mirziyoyev'],
  language: 'en',
};

const fullBody: RecordCommitmentBody = {
  id: 'uz-kz-trade-10b',
  title: 'Raise Uzbekistan-Kazakhstan trade turnover to $10 billion',
  kind: 'target',
  parties: ['UZ', 'KZ'],
  statement,
  source,
  metric: {
    name: 'trade turnover',
    unit: 'USD',
    baseline: { value: 4e9, asOf: '2025-11-15' },
    target: 1e10,
  },
  due: { text: 'by 2030' },
  reviewEvery: 'P6M',
  tags: ['trade'],
};

const recordedData: EventData<'CommitmentRecorded'> = {
  id: 'uz-kz-trade-10b',
  title: 'Raise Uzbekistan-Kazakhstan trade turnover to $10 billion',
  kind: 'target',
  parties: ['UZ', 'KZ'],
  statement,
  source,
  metric: {
    name: 'trade turnover',
    unit: 'USD',
    baseline: { value: 4e9, asOf: '2025-11-15' },
    target: 1e10,
  },
  due: {
    text: 'by 2030',
    edtf: '../2030',
    earliest: null,
    latest: '2030-12-31',
    anchor: '2025-11-15',
  },
  reviewEvery: 'P6M',
  tags: ['trade'],
};

const recorded: DomainEvent = { type: 'CommitmentRecorded', data: recordedData };
const recordedWithoutMetric: DomainEvent = {
  type: 'CommitmentRecorded',
  data: { ...recordedData, id: 'summit-2026', kind: 'meeting', metric: null, due: null },
};
const withdrawn: DomainEvent = {
  type: 'CommitmentWithdrawn',
  data: { at: '2026-02-01', reason: 'Talks collapsed' },
};
const superseded: DomainEvent = {
  type: 'CommitmentSuperseded',
  data: { by: 'uz-kz-trade-15b', at: '2026-02-01', reason: 'Raised to $15 billion' },
};

const minimalBody: RecordCommitmentBody = {
  id: 'minimal-one',
  title: 'Hold a summit',
  kind: 'meeting',
  parties: ['UZ', 'Shanghai Cooperation Organisation'],
  statement: { quote: 'We will meet', madeAt: '2025-11-15' },
  source: { publisher: 'Gazeta', publishedAt: '2025-11-16' },
};

describe('RecordCommitment', () => {
  it('given nothing, when recording, then CommitmentRecorded with the interpreted due', () => {
    given([]).when({ type: 'RecordCommitment', body: fullBody }).then([recorded]);
  });

  it('fills defaults: no metric → null, no due → null, reviewEvery P3M, tags []', () => {
    given([])
      .when({ type: 'RecordCommitment', body: minimalBody })
      .then([
        {
          type: 'CommitmentRecorded',
          data: {
            id: 'minimal-one',
            title: 'Hold a summit',
            kind: 'meeting',
            parties: ['UZ', 'Shanghai Cooperation Organisation'],
            statement: { quote: 'We will meet', madeAt: '2025-11-15' },
            source: { publisher: 'Gazeta', publishedAt: '2025-11-16' },
            metric: null,
            due: null,
            reviewEvery: 'P3M',
            tags: [],
          },
        },
      ]);
  });

  it('records a metric without baseline with baseline null', () => {
    const [event] = given([])
      .when({
        type: 'RecordCommitment',
        body: { ...minimalBody, metric: { name: 'trade', unit: 'USD', target: 5 } },
      })
      .then([
        {
          type: 'CommitmentRecorded',
          data: {
            ...recordedData,
            id: 'minimal-one',
            title: 'Hold a summit',
            kind: 'meeting',
            parties: ['UZ', 'Shanghai Cooperation Organisation'],
            statement: { quote: 'We will meet', madeAt: '2025-11-15' },
            source: { publisher: 'Gazeta', publishedAt: '2025-11-16' },
            metric: { name: 'trade', unit: 'USD', baseline: null, target: 5 },
            due: null,
            reviewEvery: 'P3M',
            tags: [],
          },
        },
      ]);
    expect(event?.type).toBe('CommitmentRecorded');
  });

  it('resolves relative deadlines against statement.madeAt, not today', () => {
    const [event] = decide(
      initialDecisionState,
      { type: 'RecordCommitment', body: { ...minimalBody, due: { text: 'within two years' } } },
      { today: '2031-01-01' },
    );
    expect(event?.type === 'CommitmentRecorded' && event.data.due).toEqual({
      text: 'within two years',
      edtf: '2025-11-15/2027-11-15',
      earliest: '2025-11-15',
      latest: '2027-11-15',
      anchor: '2025-11-15',
    });
  });

  it('drops undefined optional members so the data is clean JSON', () => {
    const body = {
      ...minimalBody,
      statement: {
        quote: 'We will meet',
        madeAt: '2025-11-15',
        madeBy: undefined,
        language: undefined,
      },
      source: { publisher: 'Gazeta', publishedAt: '2025-11-16', url: undefined, title: undefined },
    };
    const [event] = decide(
      initialDecisionState,
      { type: 'RecordCommitment', body },
      { today: '2026-01-01' },
    );
    expect(event?.type === 'CommitmentRecorded' && Object.keys(event.data.statement)).toEqual([
      'quote',
      'madeAt',
    ]);
    expect(event?.type === 'CommitmentRecorded' && Object.keys(event.data.source)).toEqual([
      'publisher',
      'publishedAt',
    ]);
  });

  it('given an existing commitment, when recording the same id, then already_exists', () => {
    given([recorded])
      .when({ type: 'RecordCommitment', body: fullBody })
      .thenThrows('already_exists');
  });

  it('rejects a deadline it cannot interpret at due.text / due.edtf', () => {
    given([])
      .when({ type: 'RecordCommitment', body: { ...fullBody, due: { text: 'soon' } } })
      .thenRejectsInput('due.text');
    given([])
      .when({ type: 'RecordCommitment', body: { ...fullBody, due: { edtf: '2026/..' } } })
      .thenRejectsInput('due.edtf');
  });

  it('accepts {edtf} and {latest} deadlines with text null', () => {
    const [a] = decide(
      initialDecisionState,
      { type: 'RecordCommitment', body: { ...fullBody, due: { edtf: '2026-35' } } },
      { today: '2026-01-01' },
    );
    expect(a?.type === 'CommitmentRecorded' && a.data.due).toEqual({
      text: null,
      edtf: '2026-35',
      earliest: '2026-07-01',
      latest: '2026-09-30',
    });
    const [b] = decide(
      initialDecisionState,
      { type: 'RecordCommitment', body: { ...fullBody, due: { latest: '2027-01-31' } } },
      { today: '2026-01-01' },
    );
    expect(b?.type === 'CommitmentRecorded' && b.data.due).toEqual({
      text: null,
      edtf: '../2027-01-31',
      earliest: null,
      latest: '2027-01-31',
    });
  });

  it('needs an id (the application layer generates it)', () => {
    const { id: _id, ...noId } = fullBody;
    expect(() =>
      decide(
        initialDecisionState,
        { type: 'RecordCommitment', body: noId },
        { today: '2026-01-01' },
      ),
    ).toThrow(TypeError);
  });
});

/** One valid command of each kind on an existing commitment. */
const commands: Record<Command['type'], Command> = {
  RecordCommitment: { type: 'RecordCommitment', body: fullBody },
  AddSource: {
    type: 'AddSource',
    body: { source: { publisher: 'Reuters', publishedAt: '2025-11-20' }, quote: 'Confirmed' },
  },
  ReportProgress: {
    type: 'ReportProgress',
    body: { asOf: '2026-01-01', value: 5e9, note: 'H2 2025 figures' },
  },
  RecordReview: {
    type: 'RecordReview',
    body: { reviewedAt: '2026-01-05', assessment: 'on_track' },
  },
  ReviseDeadline: {
    type: 'ReviseDeadline',
    body: { due: { text: 'by 2031' }, reason: 'Extended' },
  },
  ReviseTarget: { type: 'ReviseTarget', body: { target: 1.5e10, reason: 'Raised' } },
  RecordOutcome: { type: 'RecordOutcome', body: { outcome: 'fulfilled', decidedAt: '2026-01-08' } },
  Withdraw: { type: 'Withdraw', body: { at: '2026-01-09', reason: 'Dropped' } },
  Supersede: { type: 'Supersede', body: { by: 'uz-kz-trade-15b', at: '2026-01-09' } },
  CorrectRecord: {
    type: 'CorrectRecord',
    body: { fields: { title: 'Raise UZ-KZ trade to $10bn' }, reason: 'Typo' },
  },
  AssessParty: {
    type: 'AssessParty',
    body: {
      party: 'UZ',
      score: 1,
      phase: 'interim',
      report: { name: 'Interim report', publishedAt: '2026-01-06', periodEnd: '2026-01-01' },
    },
  },
};
const commandsOnExisting = Object.values(commands).filter((c) => c.type !== 'RecordCommitment');
const supersedingCtx = { today: '2026-01-10', supersedingExists: true };

describe('commands on one commitment', () => {
  it.each(commandsOnExisting.map((c) => [c.type, c] as const))(
    'given nothing, when %s, then not_recorded',
    (_t, command) => {
      given([]).when(command, supersedingCtx).thenThrows('not_recorded');
    },
  );

  it('sources → SourceAdded', () => {
    given([recorded])
      .when(commands.AddSource)
      .then([
        {
          type: 'SourceAdded',
          data: { source: { publisher: 'Reuters', publishedAt: '2025-11-20' }, quote: 'Confirmed' },
        },
      ]);
  });

  it('progress with a value on a commitment with a metric → ProgressReported', () => {
    given([recorded])
      .when(commands.ReportProgress)
      .then([
        {
          type: 'ProgressReported',
          data: { asOf: '2026-01-01', value: 5e9, note: 'H2 2025 figures' },
        },
      ]);
  });

  it('progress with a value on a commitment without a metric → no_metric', () => {
    given([recordedWithoutMetric]).when(commands.ReportProgress).thenThrows('no_metric');
  });

  it('progress without a value is fine without a metric', () => {
    given([recordedWithoutMetric])
      .when({ type: 'ReportProgress', body: { asOf: '2026-01-01', note: 'Venue chosen' } })
      .then([{ type: 'ProgressReported', data: { asOf: '2026-01-01', note: 'Venue chosen' } }]);
  });

  it('a value of 0 still needs a metric', () => {
    given([recordedWithoutMetric])
      .when({ type: 'ReportProgress', body: { asOf: '2026-01-01', value: 0 } })
      .thenThrows('no_metric');
  });

  it('reviews → ReviewRecorded', () => {
    given([recorded])
      .when(commands.RecordReview)
      .then([
        { type: 'ReviewRecorded', data: { reviewedAt: '2026-01-05', assessment: 'on_track' } },
      ]);
  });

  it('deadline → DeadlineRevised, with reason and source carried over', () => {
    const src = { publisher: 'Kun.uz', publishedAt: '2026-01-09' };
    given([recorded])
      .when({
        type: 'ReviseDeadline',
        body: { due: { text: 'by the end of 2031' }, reason: 'Extended', source: src },
      })
      .then([
        {
          type: 'DeadlineRevised',
          data: {
            due: {
              text: 'by the end of 2031',
              edtf: '../2031',
              earliest: null,
              latest: '2031-12-31',
              anchor: '2026-01-09',
            },
            reason: 'Extended',
            source: src,
          },
        },
      ]);
  });

  it('deadline revisions resolve relative phrases against ctx.today', () => {
    given([recorded])
      .when(
        { type: 'ReviseDeadline', body: { due: { text: 'within two years' }, reason: 'Reset' } },
        { today: '2026-03-31' },
      )
      .then([
        {
          type: 'DeadlineRevised',
          data: {
            due: {
              text: 'within two years',
              edtf: '2026-03-31/2028-03-31',
              earliest: '2026-03-31',
              latest: '2028-03-31',
              anchor: '2026-03-31',
            },
            reason: 'Reset',
          },
        },
      ]);
    given([recorded])
      .when(
        { type: 'ReviseDeadline', body: { due: { text: 'next year' }, reason: 'Slipped' } },
        { today: '2027-06-01' },
      )
      .then([
        {
          type: 'DeadlineRevised',
          data: {
            due: {
              text: 'next year',
              edtf: '2028',
              earliest: '2028-01-01',
              latest: '2028-12-31',
              anchor: '2027-06-01',
            },
            reason: 'Slipped',
          },
        },
      ]);
  });

  it('an uninterpretable deadline revision is rejected at due.text', () => {
    given([recorded])
      .when({ type: 'ReviseDeadline', body: { due: { text: 'in due course' }, reason: 'x' } })
      .thenRejectsInput('due.text');
  });

  it('target → TargetRevised when there is a metric, no_metric otherwise', () => {
    given([recorded])
      .when(commands.ReviseTarget)
      .then([{ type: 'TargetRevised', data: { target: 1.5e10, reason: 'Raised' } }]);
    given([recordedWithoutMetric]).when(commands.ReviseTarget).thenThrows('no_metric');
  });

  it('outcome may be recorded again; the latest counts', () => {
    const first: DomainEvent = {
      type: 'OutcomeRecorded',
      data: { outcome: 'missed', decidedAt: '2026-01-02' },
    };
    given([recorded, first])
      .when(commands.RecordOutcome)
      .then([{ type: 'OutcomeRecorded', data: { outcome: 'fulfilled', decidedAt: '2026-01-08' } }]);
  });

  it('withdrawal → CommitmentWithdrawn', () => {
    given([recorded])
      .when(commands.Withdraw)
      .then([{ type: 'CommitmentWithdrawn', data: { at: '2026-01-09', reason: 'Dropped' } }]);
  });

  it('supersession naming another existing commitment → CommitmentSuperseded', () => {
    given([recorded])
      .when(commands.Supersede, supersedingCtx)
      .then([{ type: 'CommitmentSuperseded', data: { by: 'uz-kz-trade-15b', at: '2026-01-09' } }]);
  });

  it('supersession by itself → self_supersession', () => {
    given([recorded])
      .when(
        { type: 'Supersede', body: { by: 'uz-kz-trade-10b', at: '2026-01-09' } },
        supersedingCtx,
      )
      .thenThrows('self_supersession');
  });

  it('supersession naming an unknown commitment → unknown_superseding (also when the caller did not check)', () => {
    given([recorded])
      .when(commands.Supersede, { today: '2026-01-10', supersedingExists: false })
      .thenThrows('unknown_superseding');
    given([recorded])
      .when(commands.Supersede, { today: '2026-01-10' })
      .thenThrows('unknown_superseding');
  });

  it('corrections → RecordCorrected', () => {
    given([recorded])
      .when(commands.CorrectRecord)
      .then([
        {
          type: 'RecordCorrected',
          data: { fields: { title: 'Raise UZ-KZ trade to $10bn' }, reason: 'Typo' },
        },
      ]);
  });
});

describe('withdrawn and superseded are final', () => {
  for (const [name, closing] of [
    ['withdrawn', withdrawn],
    ['superseded', superseded],
  ] as const) {
    it.each(
      commandsOnExisting
        .filter((c) => c.type !== 'AddSource' && c.type !== 'CorrectRecord')
        .map((c) => [c.type, c] as const),
    )(`given ${name}, when %s, then closed`, (_t, command) => {
      const error = given([recorded, closing]).when(command, supersedingCtx).thenThrows('closed');
      expect(error.message).toContain(name);
    });

    it(`given ${name}, sources and corrections are still accepted`, () => {
      given([recorded, closing])
        .when(commands.AddSource)
        .then([
          {
            type: 'SourceAdded',
            data: {
              source: { publisher: 'Reuters', publishedAt: '2025-11-20' },
              quote: 'Confirmed',
            },
          },
        ]);
      given([recorded, closing])
        .when(commands.CorrectRecord)
        .then([
          {
            type: 'RecordCorrected',
            data: { fields: { title: 'Raise UZ-KZ trade to $10bn' }, reason: 'Typo' },
          },
        ]);
    });

    it(`given ${name}, recording the same id again is already_exists`, () => {
      given([recorded, closing]).when(commands.RecordCommitment).thenThrows('already_exists');
    });
  }

  it('stays final after later sources and corrections', () => {
    const added: DomainEvent = { type: 'SourceAdded', data: { source } };
    given([recorded, withdrawn, added]).when(commands.RecordReview).thenThrows('closed');
  });
});

describe('evolveDecision', () => {
  it('counts the revision and tracks metric and finality', () => {
    const s = [
      recorded,
      { type: 'ReviewRecorded', data: { reviewedAt: '2026-01-05', assessment: 'stalled' } },
      withdrawn,
    ]
      .map((e) => e as DomainEvent)
      .reduce(evolveDecision, initialDecisionState);
    expect(s).toEqual({
      exists: true,
      id: 'uz-kz-trade-10b',
      revision: 3,
      final: true,
      closedAs: 'withdrawn',
      hasMetric: true,
      parties: ['UZ', 'KZ'],
      madeAt: '2025-11-15',
      earliestSource: '2025-11-15',
      earliestObservation: '2026-01-05',
    });
    expect(evolveDecision(initialDecisionState, recordedWithoutMetric)).toMatchObject({
      hasMetric: false,
      revision: 1,
    });
  });

  it('ignores events before a recording', () => {
    expect(evolveDecision(initialDecisionState, withdrawn)).toEqual(initialDecisionState);
  });

  it('throws DomainError instances, not plain errors', () => {
    expect(() =>
      decide(initialDecisionState, commands.RecordReview, { today: '2026-01-10' }),
    ).toThrow(DomainError);
  });
});
