/** Every route's happy path, against the real tracker on a temp DATA_DIR. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CommitmentViewSchema,
  EventsResponse,
  HealthResponse,
  HistoryResponse,
  ListPageSchema,
  OverdueResponse,
  ReplayResponse,
  UpcomingResponse,
  VerifyResponse,
} from '../../src/http/schemas.js';
import { councilBody, harness, tradeBody, type Harness } from './helpers.js';

const src = {
  publisher: 'Trend',
  title: 'Uzbekistan, Kazakhstan to bring trade to $10bn by 2030',
  publishedAt: '2025-11-15',
};

describe('routes (happy paths)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('POST /commitments records the trade target: 201, view, Location, ETag "1"', async () => {
    const res = await request(h.app)
      .post('/commitments')
      .send(tradeBody())
      .set('X-Request-Id', 'req-record-1');
    expect(res.status).toBe(201);
    expect(res.headers['location']).toBe('/commitments/uz-kz-trade-10b');
    expect(res.headers['etag']).toBe('"1"');
    expect(res.headers['x-request-id']).toBe('req-record-1');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const view = CommitmentViewSchema.parse(res.body);
    expect(view).toMatchObject({
      id: 'uz-kz-trade-10b',
      kind: 'target',
      parties: ['UZ', 'KZ'],
      tags: ['trade'],
      status: 'open',
      revision: 1,
      supersededBy: null,
      outcome: null,
    });
    expect(view.due).toMatchObject({ text: 'by 2030', latest: '2030-12-31' });
    expect(view.metric).toMatchObject({
      target: 10000000000,
      baseline: { value: 4000000000, asOf: '2025-11-15' },
    });
    expect(Object.keys(res.body)).toEqual([
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

  it('POST /commitments without an id makes one', async () => {
    const { id: _drop, ...body } = councilBody();
    const res = await request(h.app).post('/commitments').send(body);
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^[a-z0-9][a-z0-9-]{2,79}$/);
    expect(res.headers['location']).toBe(`/commitments/${res.body.id}`);
  });

  it('POST /commitments with {latest} and {edtf} due forms gives due.text null', async () => {
    const a = await request(h.app).post('/commitments').send(councilBody());
    expect(a.status).toBe(201);
    expect(a.body.due).toMatchObject({ text: null, edtf: '2026', latest: '2026-12-31' });
    const b = await request(h.app)
      .post('/commitments')
      .send({
        ...councilBody(),
        id: 'uz-kz-investment-platform',
        kind: 'proposal',
        due: { latest: '2026-06-30' },
      });
    expect(b.status).toBe(201);
    expect(b.body.due).toMatchObject({ text: null, latest: '2026-06-30' });
  });

  const steps: Array<
    [string, Record<string, unknown>, string, (v: Record<string, unknown>) => void]
  > = [
    [
      'sources',
      { source: src, quote: 'by 2030', note: 'deadline from Trend' },
      'SourceAdded',
      (v) => {
        expect((v.sources as unknown[]).length).toBe(2);
      },
    ],
    [
      'progress',
      { asOf: '2025-12-31', value: 4500000000, note: 'year-end figure', source: src },
      'ProgressReported',
      (v) => {
        expect((v.metric as { latest: unknown }).latest).toEqual({
          value: 4500000000,
          asOf: '2025-12-31',
        });
        expect(v.status).toBe('in_progress');
      },
    ],
    [
      'reviews',
      { reviewedAt: '2026-01-05', assessment: 'on_track', note: 'steady' },
      'ReviewRecorded',
      () => {},
    ],
    [
      'deadline',
      { due: { text: 'by 2029' }, reason: 'revised at the next summit', source: src },
      'DeadlineRevised',
      (v) => {
        expect((v.due as { latest: string }).latest).toBe('2029-12-31');
      },
    ],
    [
      'target',
      { target: 12000000000, reason: 'raised ambition' },
      'TargetRevised',
      (v) => {
        expect((v.metric as { target: number }).target).toBe(12000000000);
      },
    ],
    [
      'corrections',
      { fields: { tags: ['trade', 'economy'] }, reason: 'tagging' },
      'RecordCorrected',
      (v) => {
        expect(v.tags).toEqual(['trade', 'economy']);
      },
    ],
    [
      'outcome',
      { outcome: 'partially_fulfilled', decidedAt: '2026-01-08', note: 'half way' },
      'OutcomeRecorded',
      (v) => {
        expect(v.outcome).toEqual({
          outcome: 'partially_fulfilled',
          decidedAt: '2026-01-08',
          note: 'half way',
        });
      },
    ],
  ];

  it.each(steps.map(([sub, ...rest], i) => [sub, i, ...rest] as const))(
    'POST /commitments/{id}/%s',
    async (sub, i, body, _type, check) => {
      h.clock.advance(60_000);
      const res = await request(h.app)
        .post(`/commitments/uz-kz-trade-10b/${sub}`)
        .set('If-Match', `"${i + 1}"`)
        .send(body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.headers['etag']).toBe(`"${i + 2}"`);
      expect(res.headers['location']).toBeUndefined();
      const view = CommitmentViewSchema.parse(res.body);
      expect(view.revision).toBe(i + 2);
      check(res.body);
    },
  );

  it('POST withdrawal and supersession', async () => {
    const w = await request(h.app)
      .post('/commitments/uz-kz-investment-platform/withdrawal')
      .send({ at: '2026-01-09', reason: 'merged into another platform' });
    expect(w.status).toBe(201);
    expect(w.body.status).toBe('withdrawn');
    const s = await request(h.app)
      .post('/commitments/uz-kz-council-regions-2026/supersession')
      .send({ by: 'uz-kz-trade-10b', at: '2026-01-09', reason: 'folded in' });
    expect(s.status).toBe(201);
    expect(s.body).toMatchObject({ status: 'superseded', supersededBy: 'uz-kz-trade-10b' });
  });

  it('GET /commitments/{id} returns the view with its ETag; asOf and knownAt work', async () => {
    const res = await request(h.app).get('/commitments/uz-kz-trade-10b');
    expect(res.status).toBe(200);
    expect(res.headers['etag']).toBe(`"${steps.length + 1}"`);
    CommitmentViewSchema.parse(res.body);
    const asOf = await request(h.app).get('/commitments/uz-kz-trade-10b?asOf=2031-01-01');
    expect(asOf.status).toBe(200);
    const known = await request(h.app).get(
      `/commitments/uz-kz-trade-10b?knownAt=${encodeURIComponent(res.body.recordedAt)}`,
    );
    expect(known.status).toBe(200);
    expect(known.body.revision).toBe(1);
    expect(known.headers['etag']).toBe('"1"');
  });

  it('GET /commitments/{id}?knownAt before the record is 404', async () => {
    const res = await request(h.app).get(
      '/commitments/uz-kz-trade-10b?knownAt=2020-01-01T00:00:00Z',
    );
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('GET /commitments lists in a stable order with paging and filters', async () => {
    const all = await request(h.app).get('/commitments');
    expect(all.status).toBe(200);
    const page = ListPageSchema.parse(all.body);
    expect(page.items.length).toBeGreaterThanOrEqual(4);
    expect(page.nextCursor).toBeNull();
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(h.app)
        .get('/commitments')
        .query({ limit: 1, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(1);
      ids.push(...res.body.items.map((v: { id: string }) => v.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(ids).toEqual(page.items.map((v) => v.id));
    const withdrawn = await request(h.app).get('/commitments?status=withdrawn');
    expect(withdrawn.body.items.map((v: { id: string }) => v.id)).toEqual([
      'uz-kz-investment-platform',
    ]);
    const byParty = await request(h.app).get('/commitments?party=uz&kind=target');
    expect(byParty.status).toBe(200);
    expect(byParty.body.items.map((v: { id: string }) => v.id)).toEqual(['uz-kz-trade-10b']);
    const q = await request(h.app).get('/commitments').query({ q: 'Regional Heads' });
    expect(q.status).toBe(200);
    expect(q.body.items.every((v: { title: string }) => v.title.includes('Regional Heads'))).toBe(
      true,
    );
  });

  it('GET /overdue and GET /upcoming', async () => {
    await request(h.app)
      .post('/commitments')
      .send({
        ...councilBody(),
        id: 'uz-kz-interregional-contacts',
        kind: 'other',
        due: { latest: '2026-01-20' },
      })
      .expect(201);
    const up = await request(h.app).get('/upcoming?within=P30D');
    expect(up.status).toBe(200);
    const u = UpcomingResponse.parse(up.body);
    expect(u.asOf).toBe('2026-01-10');
    expect(u.until).toBe('2026-02-09');
    expect(u.items).toContainEqual(
      expect.objectContaining({
        commitmentId: 'uz-kz-interregional-contacts',
        item: 'deadline',
        date: '2026-01-20',
        daysUntil: 10,
      }),
    );
    const od = await request(h.app).get('/overdue?asOf=2026-01-25&party=KZ');
    expect(od.status).toBe(200);
    const o = OverdueResponse.parse(od.body);
    expect(o.asOf).toBe('2026-01-25');
    expect(o.items).toContainEqual(
      expect.objectContaining({
        commitmentId: 'uz-kz-interregional-contacts',
        item: 'deadline',
        daysOverdue: 5,
      }),
    );
  });

  it('GET /commitments/{id}/history lists every event with a hash chain', async () => {
    const res = await request(h.app).get('/commitments/uz-kz-trade-10b/history');
    expect(res.status).toBe(200);
    const hist = HistoryResponse.parse(res.body);
    expect(hist.id).toBe('uz-kz-trade-10b');
    expect(hist.events.map((e) => e.type)).toEqual([
      'CommitmentRecorded',
      ...steps.map((s) => s[2]),
    ]);
    expect(hist.events.map((e) => e.revision)).toEqual(hist.events.map((_, i) => i + 1));
    expect(new Set(hist.events.map((e) => e.hash)).size).toBe(hist.events.length);
    expect(hist.events.every((e) => e.recordedBy === 'anonymous')).toBe(true);
    expect(Object.keys(res.body.events[0])).toEqual([
      'position',
      'revision',
      'type',
      'data',
      'recordedAt',
      'recordedBy',
      'hash',
    ]);
  });

  it('the request id lands in event metadata', async () => {
    const res = await request(h.app).get('/events?limit=1');
    expect(res.body.events[0].metadata.requestId).toBe('req-record-1');
  });

  it('GET /audit/replay and /audit/verify', async () => {
    const rp = await request(h.app).get('/audit/replay');
    expect(rp.status).toBe(200);
    const r = ReplayResponse.parse(rp.body);
    expect(r.knownAt).toBe(h.clock.now().toISOString());
    expect(r.commitments.map((c) => c.id)).toContain('uz-kz-trade-10b');
    const early = await request(h.app).get(
      '/audit/replay?knownAt=2020-01-01T00:00:00.000Z&asOf=2020-01-01',
    );
    expect(early.status).toBe(200);
    expect(early.body.commitments).toEqual([]);
    const v = await request(h.app).get('/audit/verify');
    expect(v.status).toBe(200);
    expect(VerifyResponse.parse(v.body).ok).toBe(true);
  });

  it('GET /events pages the log; next is the last position, or after when empty', async () => {
    const first = await request(h.app).get('/events?limit=3');
    expect(first.status).toBe(200);
    const p1 = EventsResponse.parse(first.body);
    expect(p1.events).toHaveLength(3);
    expect(p1.next).toBe(p1.events[2]?.position);
    const seen = [...p1.events];
    let after = p1.next;
    for (;;) {
      const res = await request(h.app).get(`/events?after=${after}&limit=3`);
      const p = EventsResponse.parse(res.body);
      if (p.events.length === 0) {
        expect(p.next).toBe(after);
        break;
      }
      expect(p.events[0]!.position).toBeGreaterThan(after);
      seen.push(...p.events);
      after = p.next;
    }
    const whole = await request(h.app).get('/events?limit=500');
    expect(seen.map((e) => e.id)).toEqual(whole.body.events.map((e: { id: string }) => e.id));
  });

  it('GET /health', async () => {
    const res = await request(h.app).get('/health');
    expect(res.status).toBe(200);
    const health = HealthResponse.parse(res.body);
    expect(health).toMatchObject({ status: 'ok', store: 'sqlite' });
    expect(health.position).toBeGreaterThan(0);
  });

  it('GET /openapi.json and /docs', async () => {
    const oa = await request(h.app).get('/openapi.json');
    expect(oa.status).toBe(200);
    expect(oa.body.openapi).toBe('3.1.0');
    const docs = await request(h.app).get('/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers['content-type']).toMatch(/^text\/html/);
    expect(docs.text).toContain('/commitments/{id}/history');
    expect(docs.text).not.toMatch(/<script|https?:\/\/cdn/i);
  });
});
