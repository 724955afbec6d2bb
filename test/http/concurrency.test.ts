/** Racing writers, racing idempotent retries, and idempotency keys surviving a restart. */
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, tradeBody, type Harness } from './helpers.js';

const N = 10;

describe('concurrency and idempotency', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
    await request(h.app).post('/commitments').send(tradeBody()).expect(201);
  });
  afterEach(async () => {
    await h.close();
  });

  const history = async () =>
    (await request(h.app).get('/commitments/uz-kz-trade-10b/history')).body.events as Array<{
      type: string;
    }>;

  it(`${N} writers racing with the same If-Match: exactly one 201, the rest 412, one new event`, async () => {
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        request(h.app)
          .post('/commitments/uz-kz-trade-10b/progress')
          .set('If-Match', '"1"')
          .send({ asOf: '2026-01-01', value: 4_100_000_000 + i }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(N - 1).fill(412)]);
    const winner = results.find((r) => r.status === 201);
    expect(winner?.headers['etag']).toBe('"2"');
    for (const r of results.filter((x) => x.status === 412)) {
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(await history()).toHaveLength(2);
  });

  it(`${N} racing retries with one Idempotency-Key: all get the same 201 body, one event`, async () => {
    const body = { asOf: '2026-01-02', value: 4_200_000_000, note: 'retry me' };
    const results = await Promise.all(
      Array.from({ length: N }, () =>
        request(h.app)
          .post('/commitments/uz-kz-trade-10b/progress')
          .set('Idempotency-Key', 'race-1')
          .send(body),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(N).fill(201));
    const bodies = new Set(results.map((r) => JSON.stringify(r.body)));
    expect(bodies.size).toBe(1);
    expect(new Set(results.map((r) => r.headers['etag']))).toEqual(new Set(['"2"']));
    expect(results.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(N - 1);
    expect(await history()).toHaveLength(2);
  });

  it(`${N} racing creates with one Idempotency-Key and no id: one commitment, same Location`, async () => {
    const { id: _id, ...body } = tradeBody();
    const results = await Promise.all(
      Array.from({ length: N }, () =>
        request(h.app).post('/commitments').set('Idempotency-Key', 'create-1').send(body),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(N).fill(201));
    expect(new Set(results.map((r) => r.headers['location'])).size).toBe(1);
    const list = await request(h.app).get('/commitments');
    expect(list.body.items).toHaveLength(2);
  });

  it('a retry replays the original response and appends nothing; key order in the body does not matter', async () => {
    const first = await request(h.app)
      .post('/commitments/uz-kz-trade-10b/reviews')
      .set('Idempotency-Key', 'rev-1')
      .send({ reviewedAt: '2026-01-05', assessment: 'on_track', note: 'n' });
    expect(first.status).toBe(201);
    await request(h.app)
      .post('/commitments/uz-kz-trade-10b/reviews')
      .send({ reviewedAt: '2026-01-06', assessment: 'at_risk' })
      .expect(201);
    const again = await request(h.app)
      .post('/commitments/uz-kz-trade-10b/reviews')
      .set('Idempotency-Key', 'rev-1')
      .set('Content-Type', 'application/json')
      .send('{"note":"n","assessment":"on_track","reviewedAt":"2026-01-05"}');
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['etag']).toBe(first.headers['etag']);
    expect(await history()).toHaveLength(3);
  });

  it('keys are scoped per API key: the same key under another scope runs afresh', async () => {
    await h.close();
    h = await harness({
      keys: [
        { name: 'alice', role: 'recorder', secret: 'alice-secret-0123456789' },
        { name: 'carol', role: 'recorder', secret: 'carol-secret-0123456789' },
      ],
    });
    const send = (secret: string) =>
      request(h.app)
        .post('/commitments')
        .set('Authorization', `Bearer ${secret}`)
        .set('Idempotency-Key', 'shared')
        .send(tradeBody());
    expect((await send('alice-secret-0123456789')).status).toBe(201);
    expect((await send('alice-secret-0123456789')).status).toBe(201); // replay
    const carol = await send('carol-secret-0123456789');
    expect(carol.status).toBe(409); // runs afresh: the id exists
  });

  it('a failure is not stored: a retry with the same key is processed afresh', async () => {
    const body = { asOf: '2026-01-03', value: 1 };
    const stale = await request(h.app)
      .post('/commitments/uz-kz-trade-10b/progress')
      .set('Idempotency-Key', 'after-failure')
      .set('If-Match', '"5"')
      .send(body);
    expect(stale.status).toBe(412);
    const ok = await request(h.app)
      .post('/commitments/uz-kz-trade-10b/progress')
      .set('Idempotency-Key', 'after-failure')
      .send(body);
    expect(ok.status).toBe(201);
    expect(await history()).toHaveLength(2);
  });

  it('idempotency keys survive a restart', async () => {
    const body = { asOf: '2026-01-04', value: 4_300_000_000 };
    const first = await request(h.app)
      .post('/commitments/uz-kz-trade-10b/progress')
      .set('Idempotency-Key', 'durable')
      .send(body);
    expect(first.status).toBe(201);
    await h.restart();
    const again = await request(h.app)
      .post('/commitments/uz-kz-trade-10b/progress')
      .set('Idempotency-Key', 'durable')
      .send(body);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await request(h.app)
      .post('/commitments/uz-kz-trade-10b/progress')
      .set('Idempotency-Key', 'durable')
      .send({ ...body, value: 1 });
    expect(other.status).toBe(422);
    expect(await history()).toHaveLength(2);
  });

  /** A keyed POST. */
  const keyed = (path: string, key: string, body: object) =>
    request(h.app).post(path).set('Idempotency-Key', key).send(body);
  /** What a crash between the append and storing the response leaves: events, no stored response. */
  const loseStoredResponses = () => h.tracker.localDb.prepare('DELETE FROM http_idempotency').run();
  const PROGRESS = '/commitments/uz-kz-trade-10b/progress';

  it('a key whose stored row is lost (crash after the append) is still answered from the log', async () => {
    const body = { asOf: '2026-01-04', value: 4_300_000_000 };
    const first = await keyed(PROGRESS, 'lost-row', body);
    expect(first.status).toBe(201);
    loseStoredResponses();
    const again = await keyed(PROGRESS, 'lost-row', body);
    expect(again.status).toBe(201);
    expect(again.body.revision).toBe(2);
    expect(await history()).toHaveLength(2);
  });

  it('with its stored row lost, the same key and another body is still 422, and writes nothing', async () => {
    const body = { asOf: '2026-01-04', value: 4_300_000_000 };
    const first = await keyed(PROGRESS, 'lost-row-2', body);
    expect(first.status).toBe(201);
    loseStoredResponses();
    const other = await keyed(PROGRESS, 'lost-row-2', { ...body, value: 1 });
    expect(other.status).toBe(422);
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
    // The same key on another route is another request too.
    const elsewhere = await keyed('/commitments/uz-kz-trade-10b/reviews', 'lost-row-2', {
      reviewedAt: '2026-01-05',
      assessment: 'on_track',
    });
    expect(elsewhere.status).toBe(422);
    expect(await history()).toHaveLength(2);
    const same = await keyed(PROGRESS, 'lost-row-2', body);
    expect(same.status).toBe(201);
    expect(same.body).toEqual(first.body);
  });

  it('with its stored row lost, a retried create or withdrawal replays its 201 instead of deciding again', async () => {
    const create = { ...tradeBody(), id: 'kz-uz-lost-create' };
    const first = await keyed('/commitments', 'lost-create', create);
    expect(first.status).toBe(201);
    const withdraw = { at: '2026-01-06', reason: 'Superseded by the new programme.' };
    const gone = await keyed(
      '/commitments/kz-uz-lost-create/withdrawal',
      'lost-withdraw',
      withdraw,
    );
    expect(gone.status).toBe(201);
    loseStoredResponses();

    const again = await keyed('/commitments', 'lost-create', create);
    expect(again.status).toBe(201);
    expect(again.headers['location']).toBe('/commitments/kz-uz-lost-create');
    expect(again.body.revision).toBe(1);
    const againGone = await keyed(
      '/commitments/kz-uz-lost-create/withdrawal',
      'lost-withdraw',
      withdraw,
    );
    expect(againGone.status).toBe(201);
    expect(againGone.body).toEqual(gone.body);
    const events = (await request(h.app).get('/commitments/kz-uz-lost-create/history')).body
      .events as unknown[];
    expect(events).toHaveLength(2);
  });
});
