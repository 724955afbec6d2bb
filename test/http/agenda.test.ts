/**
 * Issue 14 over HTTP: /overdue and /upcoming answer a page `{asOf, items, nextCursor, total}`,
 * /commitments carries `total` and `?overdue=true` agrees with /overdue and with the view's
 * `overdue`; GET /summary; bad paging input is a 400 naming the field.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CommitmentViewSchema,
  ListPageSchema,
  OverdueResponse,
  SummaryResponse,
  UpcomingResponse,
} from '../../src/http/schemas.js';
import { councilBody, harness, tradeBody, type Harness } from './helpers.js';

const ASOF = '2026-06-01';

describe('agenda pages, one meaning of overdue, and the summary over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
    const bodies = [
      tradeBody(),
      councilBody(),
      { ...councilBody(), id: 'uz-kz-contacts', kind: 'other', due: { latest: '2026-01-20' } },
      { ...tradeBody(), id: 'kz-ru-energy', parties: ['KZ', 'RU'], tags: ['energy'] },
      { ...tradeBody(), id: 'uz-kz-gone', tags: ['energy'] },
    ];
    for (const b of bodies) await request(h.app).post('/commitments').send(b).expect(201);
    await request(h.app)
      .post('/commitments/uz-kz-gone/withdrawal')
      .send({ at: '2026-01-05', reason: 'Merged into the trade target' })
      .expect(201);
  });
  afterAll(async () => {
    await h.close();
  });

  it('/overdue answers {asOf, items, nextCursor, total} and pages through every item once', async () => {
    const whole = await request(h.app).get('/overdue').query({ asOf: ASOF });
    expect(whole.status).toBe(200);
    expect(Object.keys(whole.body)).toEqual(['asOf', 'items', 'nextCursor', 'total']);
    const all = OverdueResponse.parse(whole.body);
    expect(all.nextCursor).toBeNull();
    expect(all.total).toBe(all.items.length);
    expect(all.total).toBeGreaterThanOrEqual(4);
    // Most overdue first.
    const dates = all.items.map((i) => i.date);
    expect(dates).toEqual([...dates].sort());
    // The withdrawn commitment is closed: never overdue.
    expect(all.items.some((i) => i.commitmentId === 'uz-kz-gone')).toBe(false);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(h.app)
        .get('/overdue')
        .query({ asOf: ASOF, limit: 1, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      const page = OverdueResponse.parse(res.body);
      expect(page.items).toHaveLength(1);
      expect(page.total).toBe(all.total);
      seen.push(...page.items.map((i) => `${i.commitmentId}/${i.item}`));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((i) => `${i.commitmentId}/${i.item}`));
  });

  it('filters /overdue and /upcoming by item, kind, tag and party', async () => {
    const deadlines = OverdueResponse.parse(
      (await request(h.app).get('/overdue').query({ asOf: ASOF, item: 'deadline' })).body,
    );
    expect(deadlines.items.map((i) => i.commitmentId)).toEqual(['uz-kz-contacts']);
    const energy = OverdueResponse.parse(
      (await request(h.app).get('/overdue').query({ asOf: ASOF, tag: 'energy', party: 'ru' })).body,
    );
    expect(energy.items.map((i) => i.commitmentId)).toEqual(['kz-ru-energy']);
    const other = UpcomingResponse.parse(
      (await request(h.app).get('/upcoming').query({ asOf: '2026-01-10', kind: 'other' })).body,
    );
    expect(Object.keys(other)).toEqual(['asOf', 'until', 'items', 'nextCursor', 'total']);
    expect(other.items).toEqual([
      expect.objectContaining({ commitmentId: 'uz-kz-contacts', item: 'deadline', daysUntil: 10 }),
    ]);
    expect(other.total).toBe(1);
  });

  it('?overdue=true lists exactly the commitments /overdue lists, each view carrying those items', async () => {
    const od = OverdueResponse.parse(
      (await request(h.app).get('/overdue').query({ asOf: ASOF, limit: 1000 })).body,
    );
    const res = await request(h.app).get('/commitments').query({ asOf: ASOF, overdue: 'true' });
    expect(res.status).toBe(200);
    const list = ListPageSchema.parse(res.body);
    const ids = [...new Set(od.items.map((i) => i.commitmentId))].sort();
    expect(list.items.map((v) => v.id)).toEqual(ids);
    expect(list.total).toBe(ids.length);
    for (const v of list.items) {
      expect(v.overdue).toEqual(
        od.items
          .filter((i) => i.commitmentId === v.id)
          .map((i) => ({ item: i.item, date: i.date, daysOverdue: i.daysOverdue })),
      );
    }
    const not = ListPageSchema.parse(
      (await request(h.app).get('/commitments').query({ asOf: ASOF, overdue: 'false' })).body,
    );
    expect(not.items.map((v) => v.id)).toEqual(['uz-kz-gone']);
    const everything = ListPageSchema.parse(
      (await request(h.app).get('/commitments').query({ limit: 2 })).body,
    );
    expect(everything.items).toHaveLength(2);
    expect(everything.total).toBe(5);
  });

  it('the view carries overdue, next, withdrawal and supersession', async () => {
    const v = CommitmentViewSchema.parse(
      (await request(h.app).get('/commitments/uz-kz-contacts').query({ asOf: ASOF })).body,
    );
    // The follow-up (2026-02-15) is capped at the deadline, so one item: the deadline.
    expect(v.overdue).toEqual([{ item: 'deadline', date: '2026-01-20', daysOverdue: 132 }]);
    expect(v.next).toBeNull();
    expect(v.timing).toBe('overdue');
    const trade = CommitmentViewSchema.parse(
      (await request(h.app).get('/commitments/uz-kz-trade-10b').query({ asOf: ASOF })).body,
    );
    expect(trade.timing).toBe('on_schedule'); // the deadline's alone
    expect(trade.overdue).toEqual([{ item: 'follow_up', date: '2026-02-15', daysOverdue: 106 }]);
    expect(trade.next).toEqual({ item: 'deadline', date: '2030-12-31', daysUntil: 1674 });
    const gone = CommitmentViewSchema.parse(
      (await request(h.app).get('/commitments/uz-kz-gone')).body,
    );
    expect(gone.withdrawal).toEqual({ at: '2026-01-05', reason: 'Merged into the trade target' });
    expect(gone.supersession).toBeNull();
    expect(gone.overdue).toEqual([]);
  });

  it('GET /summary counts from the read model, and from a replay with knownAt', async () => {
    const res = await request(h.app).get('/summary').query({ asOf: ASOF });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual([
      'asOf',
      'knownAt',
      'total',
      'byStatus',
      'byKind',
      'byAssessment',
      'overdue',
      'upcoming',
      'byParty',
    ]);
    const s = SummaryResponse.parse(res.body);
    expect(s).toMatchObject({
      asOf: ASOF,
      knownAt: null,
      total: 5,
      overdue: { commitments: 4, items: 4 },
      upcoming: { within: 'P30D', items: 0 },
    });
    expect(s.byStatus).toMatchObject({ open: 4, withdrawn: 1, fulfilled: 0 });
    expect(s.byKind).toMatchObject({ target: 3, meeting: 1, other: 1 });
    expect(s.byAssessment).toEqual({ on_track: 0, at_risk: 0, stalled: 0, none: 5 });
    expect(s.byParty.map((p) => [p.party, p.total, p.overdue])).toEqual([
      ['KZ', 5, 4],
      ['RU', 1, 1],
      ['UZ', 4, 3],
    ]);

    const ru = SummaryResponse.parse(
      (await request(h.app).get('/summary').query({ asOf: ASOF, party: 'ru' })).body,
    );
    expect(ru.total).toBe(1);
    expect(ru.byParty.map((p) => p.party)).toEqual(['RU']);
    const energy = SummaryResponse.parse(
      (await request(h.app).get('/summary').query({ asOf: ASOF, tag: 'energy' })).body,
    );
    expect(energy).toMatchObject({ total: 2, byStatus: { open: 1, withdrawn: 1 } });

    const now = h.clock.now().toISOString();
    const replayed = SummaryResponse.parse(
      (await request(h.app).get('/summary').query({ asOf: ASOF, knownAt: now })).body,
    );
    expect(replayed).toEqual({ ...s, knownAt: now });
    const before = SummaryResponse.parse(
      (await request(h.app).get('/summary').query({ asOf: ASOF, knownAt: '2020-01-01T00:00:00Z' }))
        .body,
    );
    expect(before).toMatchObject({ total: 0, overdue: { commitments: 0, items: 0 }, byParty: [] });
    // The last day there is: the upcoming window saturates instead of failing.
    const last = await request(h.app).get('/summary').query({ asOf: '9999-12-31' });
    expect(last.status).toBe(200);
    expect(last.body).toMatchObject({ overdue: { commitments: 4 }, upcoming: { items: 0 } });
  });

  it('bad paging and filter input is a 400 naming the field', async () => {
    const cases: Array<[string, Record<string, string>, string]> = [
      ['/overdue', { limit: '0' }, 'limit'],
      ['/overdue', { limit: '1001' }, 'limit'],
      ['/upcoming', { limit: 'ten' }, 'limit'],
      ['/overdue', { cursor: 'not-a-cursor' }, 'cursor'],
      ['/upcoming', { cursor: 'WyJvIiwiMjAyNi0wMS0wMSIsImEiLCJkZWFkbGluZSJd' }, 'cursor'],
      ['/overdue', { item: 'meeting' }, 'item'],
      ['/overdue', { kind: 'promise' }, 'kind'],
      ['/commitments', { overdue: 'yes' }, 'overdue'],
      ['/summary', { asOf: '2026-02-30' }, 'asOf'],
      ['/summary', { knownAt: 'yesterday' }, 'knownAt'],
      ['/summary', { within: 'P1D' }, 'within'],
    ];
    for (const [path, query, field] of cases) {
      const res = await request(h.app).get(path).query(query);
      expect(res.status, `${path} ${JSON.stringify(query)}`).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
  });

  it('the OpenAPI document shows the paged answer and the new parameters', async () => {
    const doc = (await request(h.app).get('/openapi.json')).body as {
      paths: Record<string, { get: { parameters: Array<{ name: string }> } }>;
      components: { schemas: Record<string, { required?: string[] }> };
    };
    const names = doc.paths['/overdue']!.get.parameters.map((p) => p.name);
    for (const n of ['asOf', 'party', 'item', 'kind', 'tag', 'limit', 'cursor']) {
      expect(names).toContain(n);
    }
    expect(doc.components.schemas['Overdue']?.required).toEqual(
      expect.arrayContaining(['asOf', 'items', 'nextCursor', 'total']),
    );
    expect(doc.components.schemas['CommitmentList']?.required).toContain('total');
    expect(doc.paths['/summary']).toBeDefined();
    expect(doc.paths['/commitments']!.get.parameters.map((p) => p.name)).toContain('overdue');
  });
});
