/**
 * Issue 15, honest dates: a correction of the statement is held to the rules against everything
 * already recorded, also when the read model is current (the command handler then decides from
 * a read-model row, which does not keep the earliest source and observation dates).
 */
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, tradeBody, type Harness } from './helpers.js';

const ID = 'uz-kz-trade-10b';
const statement = (madeAt: string) => ({
  quote: 'The goal is to increase this figure to $10 billion',
  madeAt,
});

describe('POST /commitments/{id}/corrections: statement date against what is recorded', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
    // Reported on 2026-01-05, so that its own source does not bound the statement before the
    // observation or source each test records.
    const body = tradeBody({ source: { publisher: 'Xinhua', publishedAt: '2026-01-05' } });
    expect((await request(h.app).post('/commitments').send(body)).status).toBe(201);
  });
  afterEach(async () => {
    await h.close();
  });

  it('422 when the corrected madeAt lies after a recorded review, and nothing is written', async () => {
    const review = await request(h.app)
      .post(`/commitments/${ID}/reviews`)
      .send({ reviewedAt: '2025-12-01', assessment: 'on_track' });
    expect(review.status).toBe(201);

    const res = await request(h.app)
      .post(`/commitments/${ID}/corrections`)
      .send({ fields: { statement: statement('2025-12-20') }, reason: 'the date was wrong' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      code: 'date_before_statement',
      errors: [{ path: 'fields.statement.madeAt' }],
    });
    expect(res.body.detail).toContain('2025-12-01, the date of a recorded observation');
    const view = await request(h.app).get(`/commitments/${ID}`);
    expect(view.body).toMatchObject({ revision: 2, statement: { madeAt: '2025-11-15' } });
  });

  it('422 when the corrected madeAt lies after a recorded source', async () => {
    const source = await request(h.app)
      .post(`/commitments/${ID}/sources`)
      .send({ source: { publisher: 'Trend', publishedAt: '2025-11-20' } });
    expect(source.status).toBe(201);

    const late = await request(h.app)
      .post(`/commitments/${ID}/corrections`)
      .send({ fields: { statement: statement('2025-11-25') }, reason: 'the date was wrong' });
    expect(late.status).toBe(422);
    expect(late.body).toMatchObject({ errors: [{ path: 'fields.statement.madeAt' }] });
    expect(late.body.detail).toContain('2025-11-20, the date of a recorded source');

    // Up to the earliest source it is accepted.
    const ok = await request(h.app)
      .post(`/commitments/${ID}/corrections`)
      .send({ fields: { statement: statement('2025-11-14') }, reason: 'the date was wrong' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ statement: { madeAt: '2025-11-14' } });
  });
});
