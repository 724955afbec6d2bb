/** Every error status of the contract, each as application/problem+json, and nothing written by a failure. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProblemSchema } from '../../src/http/schemas.js';
import { councilBody, harness, tradeBody, type Harness } from './helpers.js';

function expectProblem(
  res: request.Response,
  status: number,
): ReturnType<typeof ProblemSchema.parse> {
  expect(res.status, res.text).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const p = ProblemSchema.parse(JSON.parse(res.text));
  expect(p.status).toBe(status);
  expect(res.text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/); // no stack traces
  return p;
}

describe('error statuses', () => {
  let h: Harness;
  let head = 0;
  const logHead = async () =>
    (await request(h.app).get('/events?limit=500')).body.events.length as number;

  beforeAll(async () => {
    h = await harness();
    await request(h.app).post('/commitments').send(tradeBody()).expect(201);
    await request(h.app).post('/commitments').send(councilBody()).expect(201);
    head = await logHead();
  });
  afterAll(async () => {
    // A request that fails writes nothing: after every failing case above, the log is unchanged.
    expect(await logHead()).toBe(head + 2); // + the two writes that set up the 'closed' case
    await h.close();
  });

  describe('400', () => {
    it('a bad body lists one entry per bad field, with dotted paths', async () => {
      const body = tradeBody({
        kind: 'wish',
        parties: [],
        metric: { name: 'x', unit: 'USD', target: 'ten' },
      });
      delete body.title;
      const p = expectProblem(await request(h.app).post('/commitments').send(body), 400);
      const paths = p.errors?.map((e) => e.path).sort();
      expect(paths).toEqual(['kind', 'metric.target', 'parties', 'title']);
      expect(p.errors?.find((e) => e.path === 'title')?.message).toBe('is required');
    });

    it('an unknown field gets its own entry with its path', async () => {
      const body = tradeBody({
        colour: 'red',
        metric: { ...(tradeBody().metric as object), colour: 'blue' },
      });
      const p = expectProblem(await request(h.app).post('/commitments').send(body), 400);
      expect(p.errors).toEqual(
        expect.arrayContaining([
          { path: 'colour', message: 'unknown field' },
          { path: 'metric.colour', message: 'unknown field' },
        ]),
      );
      expect(p.errors).toHaveLength(2);
    });

    it('unknown fields inside the due union and __proto__ are reported by path', async () => {
      const raw = JSON.stringify(tradeBody({ due: { text: 'by 2030', colour: 1 } })).replace(
        /^\{/,
        '{"__proto__":{"x":1},',
      );
      const p = expectProblem(
        await request(h.app).post('/commitments').set('Content-Type', 'application/json').send(raw),
        400,
      );
      expect(p.errors?.map((e) => e.path).sort()).toEqual(['__proto__', 'due.colour']);
    });

    it('invalid dates, ids and an EDTF with an open end', async () => {
      const p = expectProblem(
        await request(h.app)
          .post('/commitments')
          .send(
            tradeBody({
              id: 'UZ KZ',
              statement: { quote: 'q', madeAt: '2025-02-30' },
              due: { edtf: '2026/..' },
            }),
          ),
        400,
      );
      expect(p.errors?.map((e) => e.path)).toEqual(
        expect.arrayContaining(['id', 'statement.madeAt']),
      );
      const edtf = expectProblem(
        await request(h.app)
          .post('/commitments')
          .send(tradeBody({ id: 'open-ended', due: { edtf: '2026/..' } })),
        400,
      );
      expect(edtf.errors?.[0]?.path).toMatch(/^due/);
      const empty = expectProblem(
        await request(h.app)
          .post('/commitments/uz-kz-trade-10b/deadline')
          .send({ due: {}, reason: 'r' }),
        400,
      );
      expect(empty.errors).toEqual([
        { path: 'due', message: 'must be exactly one of {text}, {edtf}, {latest}' },
      ]);
    });

    it('malformed JSON, a JSON array body and a missing body', async () => {
      const p = expectProblem(
        await request(h.app)
          .post('/commitments')
          .set('Content-Type', 'application/json')
          .send('{"title": '),
        400,
      );
      expect(p.title).toBe('Malformed JSON');
      expectProblem(
        await request(h.app)
          .post('/commitments')
          .set('Content-Type', 'application/json')
          .send('[1,2]'),
        400,
      );
      expectProblem(
        await request(h.app)
          .post('/commitments')
          .set('Content-Type', 'application/json')
          .send('"x"'),
        400,
      );
      expectProblem(await request(h.app).post('/commitments/uz-kz-trade-10b/progress'), 400);
    });

    it('bad queries name the parameter', async () => {
      const cases: Array<[string, string]> = [
        ['/commitments/uz-kz-trade-10b?asOf=2025-13-01', 'asOf'],
        ['/commitments/uz-kz-trade-10b?knownAt=yesterday', 'knownAt'],
        ['/commitments?limit=0', 'limit'],
        ['/commitments?limit=501', 'limit'],
        ['/commitments?limit=abc', 'limit'],
        ['/commitments?status=sleeping', 'status'],
        ['/commitments?colour=red', 'colour'],
        ['/commitments?asOf=a&asOf=b', 'asOf'],
        ['/upcoming?within=30 days', 'within'],
        ['/upcoming?within=P9999999Y', 'within'],
        ['/overdue?asOf=2026-02-29', 'asOf'],
        ['/events?after=-1', 'after'],
        ['/events?after=999999999', 'after'], // not the position of a stored event
        ['/audit/replay?knownAt=2026-01-01', 'knownAt'],
      ];
      for (const [url, path] of cases) {
        const p = expectProblem(await request(h.app).get(url), 400);
        expect(
          p.errors?.map((e) => e.path),
          url,
        ).toContain(path);
      }
    });

    it('a malformed If-Match or Idempotency-Key', async () => {
      const body = { asOf: '2026-01-01' };
      for (const v of ['3', '"abc"', '"1", "2"', 'W/3']) {
        const p = expectProblem(
          await request(h.app)
            .post('/commitments/uz-kz-trade-10b/progress')
            .set('If-Match', v)
            .send(body),
          400,
        );
        expect(p.errors?.[0]?.path).toBe('If-Match');
      }
      expectProblem(
        await request(h.app)
          .post('/commitments/uz-kz-trade-10b/progress')
          .set('Idempotency-Key', 'k'.repeat(201))
          .send(body),
        400,
      );
    });
  });

  describe('404', () => {
    it('an unknown route', async () => {
      expectProblem(await request(h.app).get('/nope'), 404);
      expectProblem(await request(h.app).post('/commitments/uz-kz-trade-10b/bogus').send({}), 404);
    });
    it('an unknown or malformed commitment id, on every route with an id', async () => {
      for (const id of ['no-such-thing', 'UPPER', '..%2F..%2Fetc', "x'%20OR%201=1"]) {
        expectProblem(await request(h.app).get(`/commitments/${id}`), 404);
        expectProblem(await request(h.app).get(`/commitments/${id}/history`), 404);
        expectProblem(
          await request(h.app)
            .post(`/commitments/${id}/reviews`)
            .send({ reviewedAt: '2026-01-01', assessment: 'stalled' }),
          404,
        );
      }
    });
    it('a bad percent-encoding in the path is a 4xx problem, not a 500', async () => {
      const res = await request(h.app).get('/commitments/%E0%A4%A');
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  });

  it('404 (an unknown route) for a known path with another method, with Allow', async () => {
    const res = await request(h.app).delete('/commitments/uz-kz-trade-10b');
    expectProblem(res, 404);
    expect(res.headers['allow']).toContain('GET');
  });

  it('404 for a path that differs only in case, without a contradicting Allow', async () => {
    const res = await request(h.app).get('/Commitments');
    expectProblem(res, 404);
    expect(res.headers['allow']).toBeUndefined();
  });

  describe('409 for each decide invariant', () => {
    it('an id that already exists', async () => {
      const p = expectProblem(await request(h.app).post('/commitments').send(tradeBody()), 409);
      expect(p.code).toBe('already_exists');
    });
    it('a value on a commitment without a metric, and a target revision without one', async () => {
      const a = expectProblem(
        await request(h.app)
          .post('/commitments/uz-kz-council-regions-2026/progress')
          .send({ asOf: '2026-01-01', value: 3 }),
        409,
      );
      expect(a.code).toBe('no_metric');
      const b = expectProblem(
        await request(h.app)
          .post('/commitments/uz-kz-council-regions-2026/target')
          .send({ target: 3, reason: 'r' }),
        409,
      );
      expect(b.code).toBe('no_metric');
    });
    it('a supersession naming an unknown commitment, or itself', async () => {
      const a = expectProblem(
        await request(h.app)
          .post('/commitments/uz-kz-council-regions-2026/supersession')
          .send({ by: 'does-not-exist', at: '2026-01-01' }),
        409,
      );
      expect(a.code).toBe('unknown_superseding');
      const b = expectProblem(
        await request(h.app)
          .post('/commitments/uz-kz-council-regions-2026/supersession')
          .send({ by: 'uz-kz-council-regions-2026', at: '2026-01-01' }),
        409,
      );
      expect(b.code).toBe('self_supersession');
    });
    it('a write on a withdrawn commitment', async () => {
      await request(h.app)
        .post('/commitments')
        .send({ ...councilBody(), id: 'to-withdraw' })
        .expect(201);
      await request(h.app)
        .post('/commitments/to-withdraw/withdrawal')
        .send({ at: '2026-01-02', reason: 'dropped' })
        .expect(201);
      const p = expectProblem(
        await request(h.app)
          .post('/commitments/to-withdraw/reviews')
          .send({ reviewedAt: '2026-01-03', assessment: 'stalled' }),
        409,
      );
      expect(p.code).toBe('closed');
    });
  });

  it('412 for a stale If-Match', async () => {
    const p = expectProblem(
      await request(h.app)
        .post('/commitments/uz-kz-trade-10b/reviews')
        .set('If-Match', '"7"')
        .send({ reviewedAt: '2026-01-01', assessment: 'at_risk' }),
      412,
    );
    expect(p.detail).toContain('7');
    expectProblem(
      await request(h.app)
        .post('/commitments/uz-kz-trade-10b/reviews')
        .set('If-Match', 'W/"0"')
        .send({ reviewedAt: '2026-01-01', assessment: 'at_risk' }),
      412,
    );
  });

  it('413 for a body over 1 MB', async () => {
    const big = JSON.stringify(tradeBody({ title: 'x'.repeat(1024 * 1024 + 10) }));
    expectProblem(
      await request(h.app).post('/commitments').set('Content-Type', 'application/json').send(big),
      413,
    );
  });

  it('415 for a content type other than JSON', async () => {
    expectProblem(
      await request(h.app)
        .post('/commitments')
        .set('Content-Type', 'text/plain')
        .send(JSON.stringify(tradeBody())),
      415,
    );
    expectProblem(
      await request(h.app)
        .post('/commitments')
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send('id=abc'),
      415,
    );
    expectProblem(
      await request(h.app)
        .post('/commitments')
        .set('Content-Type', 'application/json; charset=latin1')
        .send('{}'),
      415,
    );
  });

  it('422 for a reused Idempotency-Key with another body', async () => {
    const body = { reviewedAt: '2026-01-04', assessment: 'on_track' };
    await request(h.app)
      .post('/commitments/uz-kz-trade-10b/reviews')
      .set('Idempotency-Key', 'k-422')
      .send(body)
      .expect(201);
    const p = expectProblem(
      await request(h.app)
        .post('/commitments/uz-kz-trade-10b/reviews')
        .set('Idempotency-Key', 'k-422')
        .send({ ...body, note: 'other' }),
      422,
    );
    expect(p.title).toMatch(/Idempotency-Key/);
    head += 1;
  });
});
