/** Access: 401 with WWW-Authenticate, 403 for readers that write, open paths, and no secret in logs or responses. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticator } from '../../src/http/auth.js';
import { KEYS, harness, tradeBody, type Harness } from './helpers.js';

const [alice, bob, carol] = KEYS as [(typeof KEYS)[0], (typeof KEYS)[0], (typeof KEYS)[0]];

describe('auth', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ keys: KEYS });
  });
  afterAll(async () => {
    await h.close();
  });

  it('a missing or unknown key is 401 with WWW-Authenticate: Bearer', async () => {
    for (const auth of [
      undefined,
      'Bearer wrong',
      `Basic ${alice.secret}`,
      `Bearer ${alice.secret}x`,
      'Bearer',
    ]) {
      const req = request(h.app).get('/commitments');
      const res = await (auth ? req.set('Authorization', auth) : req);
      expect(res.status, String(auth)).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const post = await request(h.app).post('/commitments').send(tradeBody());
    expect(post.status).toBe(401);
  });

  it('a reader may GET but not POST (403); a recorder may POST; recordedBy is the key name', async () => {
    const asBob = await request(h.app)
      .post('/commitments')
      .set('Authorization', `Bearer ${bob.secret}`)
      .send(tradeBody());
    expect(asBob.status).toBe(403);
    expect(asBob.headers['content-type']).toMatch(/^application\/problem\+json/);
    const asAlice = await request(h.app)
      .post('/commitments')
      .set('Authorization', `Bearer ${alice.secret}`)
      .send(tradeBody());
    expect(asAlice.status).toBe(201);
    const read = await request(h.app)
      .get('/commitments/uz-kz-trade-10b/history')
      .set('Authorization', `Bearer ${bob.secret}`);
    expect(read.status).toBe(200);
    expect(read.body.events[0].recordedBy).toBe('alice');
  });

  it('/health, /openapi.json and /docs need no key', async () => {
    for (const p of ['/health', '/openapi.json', '/docs'])
      expect((await request(h.app).get(p)).status, p).toBe(200);
  });

  it('role matrix over every route', async () => {
    const gets = [
      '/commitments',
      '/commitments/uz-kz-trade-10b',
      '/commitments/uz-kz-trade-10b/history',
      '/overdue',
      '/upcoming',
      '/events',
    ];
    // Whole-log audits (issue 20): the auditor role only; readers and recorders get 403.
    for (const p of ['/audit/replay', '/audit/verify']) {
      expect((await request(h.app).get(p)).status, p).toBe(401);
      for (const k of [bob, alice])
        expect(
          (await request(h.app).get(p).set('Authorization', `Bearer ${k.secret}`)).status,
          p,
        ).toBe(403);
      expect(
        (await request(h.app).get(p).set('Authorization', `Bearer ${carol.secret}`)).status,
        p,
      ).toBe(200);
    }
    for (const p of gets) {
      expect((await request(h.app).get(p)).status, p).toBe(401);
      expect((await request(h.app).get(p).set('Authorization', 'Bearer nope')).status, p).toBe(401);
      expect(
        (await request(h.app).get(p).set('Authorization', `Bearer ${bob.secret}`)).status,
        p,
      ).toBe(200);
      expect(
        (await request(h.app).get(p).set('Authorization', `Bearer ${alice.secret}`)).status,
        p,
      ).toBe(200);
    }
    const posts = [
      '/commitments',
      ...[
        'sources',
        'progress',
        'reviews',
        'deadline',
        'target',
        'outcome',
        'withdrawal',
        'supersession',
        'corrections',
      ].map((s) => `/commitments/uz-kz-trade-10b/${s}`),
    ];
    for (const p of posts) {
      expect((await request(h.app).post(p).send({})).status, p).toBe(401);
      expect(
        (await request(h.app).post(p).set('Authorization', `Bearer ${bob.secret}`).send({})).status,
        p,
      ).toBe(403);
      expect(
        (await request(h.app).post(p).set('Authorization', `Bearer ${alice.secret}`).send({}))
          .status,
        p,
      ).toBe(400);
    }
  });

  it('secrets never appear in logs or responses', async () => {
    const res = await request(h.app)
      .get('/commitments')
      .set('Authorization', `Bearer ${alice.secret}`);
    expect(JSON.stringify(res.headers) + res.text).not.toContain(alice.secret);
    const bad = await request(h.app)
      .get('/commitments')
      .set('Authorization', `Bearer ${bob.secret}-guess`);
    expect(bad.text).not.toContain(bob.secret);
    const all = h.logs.join('');
    expect(h.logs.length).toBeGreaterThan(10);
    for (const k of KEYS) expect(all).not.toContain(k.secret);
    expect(all.toLowerCase()).not.toContain('authorization');
    expect(all).toContain('"actor":"alice"');
  });
});

describe('authenticator', () => {
  it('matches only the exact secret', () => {
    const check = authenticator(KEYS);
    expect(check(`Bearer ${alice.secret}`)).toEqual({ name: 'alice', role: 'recorder' });
    expect(check(`bearer ${bob.secret}`)).toEqual({ name: 'bob', role: 'reader' });
    expect(check(`Bearer ${alice.secret.slice(0, -1)}`)).toBeNull();
    expect(check('Bearer ')).toBeNull();
    expect(check(undefined)).toBeNull();
  });
});
