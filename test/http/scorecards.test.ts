/**
 * Issue 15 through the HTTP API: the Rio 2024 G20 facts (bench/templates.json, a copy of
 * shared/data/compliance-extract.json) recorded and assessed at their report dates give every
 * member's published average from GET /scorecards, and each commitment's average; one party's
 * scorecard; and the rules of `asOf`, `knownAt`, `tag` and `party`.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartyScorecardSchema, ScorecardSchema } from '../../src/app/scorecards.js';
import {
  assessBody,
  byCommitment,
  idOf,
  PUBLISHED,
  recordBody,
  reportsInOrder,
  rio,
  TAG,
  type Row,
} from '../fixtures/rio-2024.js';
import { harness, type Harness } from './helpers.js';

/** Mean of one phase's published scores of a commitment's members, straight from the facts. */
function factAverage(members: Row[], phase: RegExp): number {
  const scores = members.flatMap((m) =>
    m.statusHistory.filter((h) => phase.test(h.report)).map((h) => Number(h.publishedStatus)),
  );
  return scores.reduce((a, b) => a + b, 0) / scores.length;
}

const round2 = (x: number | null): number => Math.round((x ?? NaN) * 100) / 100;

describe('Rio 2024 replayed through the HTTP API', () => {
  let h: Harness;
  let finalRecordedAt = '';

  beforeAll(async () => {
    h = await harness({ now: '2024-11-18T12:00:00.000Z' });
    for (const [key, members] of byCommitment) {
      h.clock.set(`${members[0]!.madeAt}T12:00:00.000Z`);
      // Country names as the facts give them: stored as ISO codes.
      const res = await request(h.app).post('/commitments').send(recordBody(key, members));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    // Reports in publication order, each recorded on the day it was published.
    for (const { key, m, h: hst } of reportsInOrder(byCommitment)) {
      h.clock.set(`${hst.at}T12:00:00.000Z`);
      const res = await request(h.app)
        .post(`/commitments/${idOf(key)}/assessments`)
        .send(assessBody(m, hst));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      if (/final/i.test(hst.report) && finalRecordedAt === '') {
        finalRecordedAt = `${hst.at}T12:00:00.000Z`;
      }
    }
    h.clock.set('2025-12-01T12:00:00.000Z');
  }, 120_000);
  afterAll(async () => {
    await h.close();
  });

  it('holds 13 commitments with 11 parties, 143 interim and 143 final assessments', () => {
    expect(byCommitment.size).toBe(13);
    const phases = rio.flatMap((r) => r.statusHistory.map((x) => /interim/i.test(x.report)));
    expect(phases.filter(Boolean)).toHaveLength(143);
    expect(phases.filter((p) => !p)).toHaveLength(143);
  });

  it('GET /scorecards?tag= gives every member its published average (US −0.46, EU +0.85, Japan +0.77)', async () => {
    const res = await request(h.app).get(`/scorecards?tag=${TAG}`);
    expect(res.status).toBe(200);
    const card = ScorecardSchema.parse(res.body);
    expect(card).toMatchObject({ tag: TAG, asOf: '2025-12-01', knownAt: null, party: null });
    expect(Object.fromEntries(card.parties.map((p) => [p.party, round2(p.average)]))).toEqual(
      PUBLISHED,
    );
    for (const p of card.parties) expect(p.scored).toBe(13);
    expect(card.parties.find((p) => p.party === 'US')?.counts).toEqual({ '-1': 8, '0': 3, '1': 2 });
    expect(card.overall.scored).toBe(143);
  });

  it('and each commitment its average over its 11 members (the final scores)', async () => {
    const card = ScorecardSchema.parse((await request(h.app).get(`/scorecards?tag=${TAG}`)).body);
    expect(card.commitments).toHaveLength(13);
    for (const [key, members] of byCommitment) {
      const c = card.commitments.find((x) => x.id === idOf(key));
      expect(c?.title).toBe(members[0]!.title);
      expect(c?.scored).toBe(11);
      expect(c?.average).toBeCloseTo(factAverage(members, /final/i), 12);
    }
  });

  it('with asOf before the final reports, the interim scores count', async () => {
    const card = ScorecardSchema.parse(
      (await request(h.app).get(`/scorecards?tag=${TAG}&asOf=2025-10-01`)).body,
    );
    expect(card.overall.scored).toBe(143);
    for (const [key, members] of byCommitment) {
      const c = card.commitments.find((x) => x.id === idOf(key));
      expect(c?.average).toBeCloseTo(factAverage(members, /interim/i), 12);
    }
    // Before any report was published nothing is scored.
    const none = ScorecardSchema.parse(
      (await request(h.app).get(`/scorecards?tag=${TAG}&asOf=2025-01-01`)).body,
    );
    expect(none.parties).toEqual([]);
    expect(none.overall).toEqual({ average: null, scored: 0, counts: { '-1': 0, '0': 0, '1': 0 } });
  });

  it('with knownAt, only what was recorded by then counts (a replay of the log)', async () => {
    const before = new Date(Date.parse(finalRecordedAt) - 1000).toISOString();
    const card = ScorecardSchema.parse(
      (await request(h.app).get(`/scorecards?tag=${TAG}&knownAt=${before}`)).body,
    );
    expect(card.knownAt).toBe(before);
    for (const [key, members] of byCommitment) {
      const c = card.commitments.find((x) => x.id === idOf(key));
      expect(c?.average).toBeCloseTo(factAverage(members, /interim/i), 12);
    }
    const now = ScorecardSchema.parse(
      (await request(h.app).get(`/scorecards?tag=${TAG}&knownAt=2025-12-01T00:00:00Z`)).body,
    );
    expect(Object.fromEntries(now.parties.map((p) => [p.party, round2(p.average)]))).toEqual(
      PUBLISHED,
    );
  });

  it('GET /parties/{party}/scorecard: a name, a code or alpha-3 all give the same table', async () => {
    const a = await request(h.app).get(`/parties/United%20States/scorecard?tag=${TAG}`);
    expect(a.status).toBe(200);
    const us = PartyScorecardSchema.parse(a.body);
    expect(us.party).toBe('US');
    expect(round2(us.average)).toBe(-0.46);
    expect(us.scored).toBe(13);
    expect(us.counts).toEqual({ '-1': 8, '0': 3, '1': 2 });
    expect(us.commitments).toHaveLength(13);
    expect(us.commitments.every((c) => c.phase === 'final')).toBe(true);
    for (const alias of ['US', 'usa', 'USA']) {
      const b = await request(h.app).get(`/parties/${alias}/scorecard?tag=${TAG}`);
      expect(b.body).toEqual(a.body);
    }
    const eu = PartyScorecardSchema.parse(
      (await request(h.app).get(`/parties/European%20Union/scorecard`)).body,
    );
    expect(round2(eu.average)).toBe(0.85);
    const never = PartyScorecardSchema.parse(
      (await request(h.app).get('/parties/KZ/scorecard')).body,
    );
    expect(never).toMatchObject({ party: 'KZ', average: null, scored: 0, commitments: [] });
  });

  it('?party= on /scorecards counts only that party', async () => {
    const card = ScorecardSchema.parse(
      (await request(h.app).get(`/scorecards?tag=${TAG}&party=Japan`)).body,
    );
    expect(card.party).toBe('JP');
    expect(card.parties.map((p) => p.party)).toEqual(['JP']);
    expect(round2(card.overall.average)).toBe(0.77);
    expect(card.commitments.every((c) => c.scored === 1)).toBe(true);
  });

  it('a tag counts only its commitments', async () => {
    h.clock.set('2025-12-01T12:00:00.000Z');
    const rec = await request(h.app)
      .post('/commitments')
      .send({
        id: 'other-summit-pledge',
        title: 'Another pledge',
        kind: 'other',
        parties: ['US'],
        statement: { quote: 'Another pledge', madeAt: '2025-06-01' },
        source: { publisher: 'Elsewhere', publishedAt: '2025-06-01' },
        tags: ['elsewhere'],
      });
    expect(rec.status).toBe(201);
    const assessed = await request(h.app)
      .post('/commitments/other-summit-pledge/assessments')
      .send({
        party: 'US',
        score: 1,
        phase: 'final',
        report: { name: 'Other report', publishedAt: '2025-11-30', periodEnd: '2025-11-01' },
      });
    expect(assessed.status).toBe(201);
    const tagged = ScorecardSchema.parse((await request(h.app).get(`/scorecards?tag=${TAG}`)).body);
    expect(tagged.commitments.map((c) => c.id)).not.toContain('other-summit-pledge');
    expect(round2(tagged.parties.find((p) => p.party === 'US')!.average)).toBe(-0.46);
    const all = ScorecardSchema.parse((await request(h.app).get('/scorecards')).body);
    expect(all.commitments.map((c) => c.id)).toContain('other-summit-pledge');
    expect(all.parties.find((p) => p.party === 'US')?.scored).toBe(14);
  });

  it('bad query values are 400 problems naming the field, not 500s', async () => {
    for (const [q, field] of [
      ['asOf=2025-02-30', 'asOf'],
      ['knownAt=yesterday', 'knownAt'],
      ['tag=', 'tag'],
      ['bogus=1', ''],
    ] as const) {
      const res = await request(h.app).get(`/scorecards?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      if (field) expect(JSON.stringify(res.body.errors)).toContain(field);
    }
  });
});
