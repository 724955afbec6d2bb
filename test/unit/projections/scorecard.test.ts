/**
 * Scorecards (issue 15): the Rio 2024 G20 facts in bench/templates.json (copied from
 * shared/data/compliance-extract.json) replayed as 13 commitments with 11 parties each, 143
 * interim and 143 final assessments decided and folded at their report dates, give every
 * member's published average.
 */
import { describe, expect, it } from 'vitest';
import { complianceOf, fold, scorecard, toView } from '../../../projections/index.js';
import { AssessPartyBody, RecordCommitmentBody } from '../../../src/domain/commands.js';
import { decide, evolveDecision, initialDecisionState } from '../../../src/domain/decide.js';
import type { DomainEvent } from '../../../src/domain/events.js';
import {
  assessBody,
  byCommitment,
  PUBLISHED,
  recordBody,
  reportsInOrder,
  rio,
  type Row,
} from '../../fixtures/rio-2024.js';

/** Decide every command of one commitment, each on its own recording day; return the envelopes. */
function replay(key: string, members: Row[]) {
  let state = initialDecisionState;
  const envelopes: Array<{ type: string; data: unknown; revision: number; recordedAt: string }> =
    [];
  const run = (cmd: Parameters<typeof decide>[1], today: string) => {
    for (const e of decide(state, cmd, { today }) as DomainEvent[]) {
      state = evolveDecision(state, e);
      envelopes.push({
        type: e.type,
        data: e.data,
        revision: envelopes.length + 1,
        recordedAt: `${today}T12:00:00.000Z`,
      });
    }
  };
  run(
    { type: 'RecordCommitment', body: RecordCommitmentBody.parse(recordBody(key, members)) },
    members[0]!.madeAt,
  );
  for (const { m, h } of reportsInOrder([[key, members]])) {
    run({ type: 'AssessParty', body: AssessPartyBody.parse(assessBody(m, h)) }, h.at!);
  }
  return envelopes;
}

const views = [...byCommitment].map(([key, members]) => {
  const s = fold(replay(key, members));
  if (s === null) throw new Error('no state');
  return toView(s, '2025-12-01');
});

describe('Rio 2024 scorecard', () => {
  it('has 13 commitments with 11 parties each, 143 interim and 143 final assessments', () => {
    expect(byCommitment.size).toBe(13);
    for (const members of byCommitment.values()) expect(members).toHaveLength(11);
    const phases = rio.flatMap((r) => r.statusHistory.map((h) => /interim/i.test(h.report)));
    expect(phases.filter(Boolean)).toHaveLength(143);
    expect(phases.filter((p) => !p)).toHaveLength(143);
    for (const v of views) {
      expect(v.parties).toHaveLength(11);
      expect(v.assessments).toHaveLength(11);
      expect(v.assessments.every((a) => a.phase === 'final')).toBe(true);
    }
  });

  it('gives every member its published average (United States −0.46, EU +0.85, Japan +0.77)', () => {
    const card = scorecard(views);
    const got = Object.fromEntries(
      card.parties.map((p) => [p.party, Math.round((p.average ?? NaN) * 100) / 100]),
    );
    expect(got).toEqual(PUBLISHED);
    for (const p of card.parties) expect(p.scored).toBe(13);
    const us = card.parties.find((p) => p.party === 'US');
    expect(us?.counts).toEqual({ '-1': 8, '0': 3, '1': 2 });
  });

  it('per commitment, the average over its 11 members equals its compliance in the view', () => {
    const card = scorecard(views);
    expect(card.commitments).toHaveLength(13);
    for (const c of card.commitments) {
      const v = views.find((x) => x.id === c.id);
      expect(c.scored).toBe(11);
      expect(c.average).toBeCloseTo(v?.compliance.average ?? NaN, 12);
    }
    // The summit's overall average is the mean of all 143 final scores.
    const all = complianceOf(views.flatMap((v) => v.assessments.map((a) => a.score)));
    expect(all.scored).toBe(143);
  });

  it('before the final report is published, the interim scores count', () => {
    const [key, members] = [...byCommitment][0]!;
    const envelopes = replay(key, members).filter((e) => e.recordedAt < '2025-11-18');
    const s = fold(envelopes);
    const v = toView(s!, '2025-10-01');
    expect(v.assessments.every((a) => a.phase === 'interim')).toBe(true);
  });

  it('with a party, counts only that party', () => {
    const card = scorecard(views, { party: 'JP' });
    expect(card.parties.map((p) => p.party)).toEqual(['JP']);
    expect(card.commitments.every((c) => c.scored === 1)).toBe(true);
  });
});
