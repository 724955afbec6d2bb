import { describe, expect, it } from 'vitest';
import { fold } from '../../../projections/evolve.js';
import { toView } from '../../../projections/view.js';
import { outcome, progress, stream, tradeRecorded } from './fixtures.js';

const state = () =>
  fold(
    stream(
      tradeRecorded(),
      progress('2026-05-01', 5.5e9),
      outcome('fulfilled', '2030-12-31', 'Done'),
    ),
  )!;

describe('toView', () => {
  it('lists the fields in the order of the API contract', () => {
    expect(Object.keys(toView(state(), '2026-06-01'))).toEqual([
      'id',
      'title',
      'kind',
      'parties',
      'tags',
      'status',
      'timing',
      'overdue',
      'next',
      'due',
      'nextFollowUp',
      'metric',
      'statement',
      'sources',
      'outcome',
      'supersededBy',
      'assessment',
      'withdrawal',
      'supersession',
      'assessments',
      'compliance',
      'revision',
      'recordedAt',
      'updatedAt',
    ]);
  });

  it('leaves out internal state (lastActivity, lastReported, reviewEvery)', () => {
    const v = toView(state(), '2026-06-01') as unknown as Record<string, unknown>;
    expect(v).not.toHaveProperty('lastActivity');
    expect(v).not.toHaveProperty('lastReported');
    expect(v).not.toHaveProperty('reviewEvery');
    expect(v).not.toHaveProperty('partyAssessments');
  });

  it('is a deep copy: mutating the view leaves the state untouched', () => {
    const s = state();
    const before = structuredClone(s);
    const v = toView(s, '2026-06-01');
    v.parties.push('RU');
    v.tags.length = 0;
    v.due!.latest = '1999-01-01';
    v.metric!.latest!.value = 0;
    v.metric!.baseline!.value = 0;
    v.statement.madeBy!.push('Someone');
    v.sources[0]!.publisher = 'Edited';
    v.outcome!.note = 'Edited';
    expect(s).toEqual(before);
  });

  it('gives the same output for the same input', () => {
    const s = state();
    expect(toView(s, '2026-06-01')).toEqual(toView(s, '2026-06-01'));
  });
});
