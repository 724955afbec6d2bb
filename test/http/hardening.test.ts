/**
 * Hardening (issue 20), one test per finding of the review: the ReDoS inputs on every route,
 * at most 50 field errors, the rebinding request in open mode, the 51st source, the paged
 * history, the idempotency record's size and expiry, the headers, the public /health, the
 * rate limits, and the audits (auditor role, one at a time, the last report kept).
 */
import http from 'node:http';
import type net from 'node:net';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** Every string tinyduration is handed, to hold the parser's work to short inputs. */
const parsedLengths: number[] = [];
vi.mock('tinyduration', async (importOriginal) => {
  const mod = await importOriginal<{ parse(s: string): unknown }>();
  return {
    ...mod,
    parse: (s: string) => {
      parsedLengths.push(s.length);
      return mod.parse(s);
    },
  };
});

import { buildOpenApi } from '../../src/http/openapi.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/http/logger.js';
import { MAX_FIELD_ERRORS } from '../../src/http/problem.js';
import { MAX_STORED_BODY_BYTES } from '../../src/http/idempotency.js';
import { MAX_SOURCES } from '../../src/app/tracker.js';
import type { AuditRunner } from '../../src/app/audit-jobs.js';
import type { VerifyReport } from '../../src/read-model/types.js';
import { KEYS, harness, tradeBody, type Harness } from './helpers.js';
import { validBody } from '../reliability/hostile.js';

const [alice, bob, carol] = KEYS as [(typeof KEYS)[0], (typeof KEYS)[0], (typeof KEYS)[0]];
const auth = (k: { secret: string }): [string, string] => ['Authorization', `Bearer ${k.secret}`];

/** The review's worst inputs: a duration with 16,000 digits, and 80,000 unknown keys. */
const LONG_DURATION = 'P' + '9'.repeat(16_000);
const MANY_KEYS = Object.fromEntries(Array.from({ length: 80_000 }, (_, i) => [`k${i}`, 1]));

/** Every string leaf of a body replaced by `value`. */
function everyString(v: unknown, value: string): unknown {
  if (typeof v === 'string') return value;
  if (Array.isArray(v)) return v.map((x) => everyString(x, value));
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, everyString(x, value)]));
  return v;
}

interface Op {
  method: 'get' | 'post';
  path: string;
  query: string[];
}
function operations(): Op[] {
  const doc = buildOpenApi() as {
    paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>;
  };
  const out: Op[] = [];
  for (const [path, methods] of Object.entries(doc.paths))
    for (const [m, op] of Object.entries(methods)) {
      if (m !== 'get' && m !== 'post') continue;
      const query = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      out.push({ method: m, path, query });
    }
  return out;
}

/** A harness behind KEYS that holds the trade commitment, recorded by alice. */
async function harnessWithTrade(): Promise<Harness> {
  const h = await harness({ keys: KEYS });
  await request(h.app)
    .post('/commitments')
    .set(...auth(alice))
    .send(tradeBody())
    .expect(201);
  return h;
}

describe('hardening: validation that cannot be made slow', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harnessWithTrade();
  });
  afterEach(() => h.close());

  it('the worst inputs on every route: a 4xx, at most 50 errors, and no long string reaches the duration parser', async () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(20);
    let checked = 0;
    parsedLengths.length = 0;
    for (const op of ops) {
      const path = op.path.replace('{id}', 'uz-kz-trade-10b');
      const key = op.method === 'get' ? carol : alice; // carol may audit, alice may write
      const bodies: unknown[] = [];
      if (op.method === 'post') {
        const valid = validBody(op.path) ?? {};
        bodies.push(everyString(valid, LONG_DURATION), { ...valid, reviewEvery: LONG_DURATION });
        bodies.push(MANY_KEYS);
      }
      for (const body of bodies) {
        const res = await request(h.app)
          .post(path)
          .set(...auth(key))
          .send(body as object);
        const what = `POST ${op.path}`;
        expect(res.status, what).toBeGreaterThanOrEqual(400);
        expect(res.status, what).toBeLessThan(500);
        expect(res.body.errors?.length ?? 0, what).toBeLessThanOrEqual(MAX_FIELD_ERRORS);
        expect(res.text.length, what).toBeLessThan(20_000);
        checked += 1;
      }
      for (const name of op.query) {
        const res = await request(h.app)
          .get(path)
          .query({ [name]: LONG_DURATION })
          .set(...auth(key));
        const what = `GET ${op.path}?${name}`;
        expect(res.status, what).toBe(400);
        expect(res.body.errors.length, what).toBeLessThanOrEqual(MAX_FIELD_ERRORS);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(40);
    // The parser never saw a long string: its work per request does not grow with the input.
    expect(Math.max(0, ...parsedLengths)).toBeLessThanOrEqual(64);
  });

  it('80,000 unknown keys: 50 field errors listed, and how many more', async () => {
    const res = await request(h.app)
      .post('/commitments')
      .set(...auth(alice))
      .send({ ...tradeBody({ id: 'many-keys' }), ...MANY_KEYS });
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveLength(MAX_FIELD_ERRORS);
    expect(res.body.omittedErrors).toBe(80_000 - MAX_FIELD_ERRORS);
    expect(res.body.detail).toMatch(/80000 invalid fields.*79950 more/);
    expect(res.text.length).toBeLessThan(10_000);
    expect(
      (
        await request(h.app)
          .get('/commitments/many-keys')
          .set(...auth(bob))
      ).status,
    ).toBe(404);
  });
});

describe('hardening: bounded growth', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harnessWithTrade();
  });
  afterEach(() => h.close());

  const addSource = (app: Harness['app'], i: number, quote = 'q') =>
    request(app)
      .post('/commitments/uz-kz-trade-10b/sources')
      .set(...auth(alice))
      .send({
        source: { publisher: `Paper ${i}`, publishedAt: '2025-11-20' },
        quote: quote,
      });

  it('the 51st source is a 409 naming the limit, and writes nothing', async () => {
    // The statement's own source is the first.
    for (let i = 2; i <= MAX_SOURCES; i++) expect((await addSource(h.app, i)).status).toBe(201);
    const before = await h.tracker.store.headPosition();
    const res = await addSource(h.app, 51);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('too_many_sources');
    expect(res.body.detail).toMatch(/at most 50/);
    expect(await h.tracker.store.headPosition()).toBe(before);
  });

  it('history comes in pages: limit and cursor', async () => {
    for (let i = 2; i <= 5; i++) await addSource(h.app, i);
    const first = await request(h.app)
      .get('/commitments/uz-kz-trade-10b/history?limit=2')
      .set(...auth(bob));
    expect(first.status).toBe(200);
    expect(first.body.events.map((e: { revision: number }) => e.revision)).toEqual([1, 2]);
    expect(first.body.nextCursor).toBe('2');
    const rest = await request(h.app)
      .get(`/commitments/uz-kz-trade-10b/history?limit=10&cursor=${first.body.nextCursor}`)
      .set(...auth(bob));
    expect(rest.body.events.map((e: { revision: number }) => e.revision)).toEqual([3, 4, 5]);
    expect(rest.body.nextCursor).toBeNull();
    const past = await request(h.app)
      .get('/commitments/uz-kz-trade-10b/history?cursor=99')
      .set(...auth(bob));
    expect(past.status).toBe(200);
    expect(past.body.events).toEqual([]);
    for (const q of ['limit=0', 'limit=501', 'cursor=abc', 'cursor=0'])
      expect(
        (
          await request(h.app)
            .get(`/commitments/uz-kz-trade-10b/history?${q}`)
            .set(...auth(bob))
        ).status,
        q,
      ).toBe(400);
    expect(
      (
        await request(h.app)
          .get('/commitments/nope/history?cursor=2')
          .set(...auth(bob))
      ).status,
    ).toBe(404);
  });

  it('a stored idempotent response replays within 24 h, then is swept', async () => {
    const review = { reviewedAt: '2026-01-05', assessment: 'on_track' };
    const first = await request(h.app)
      .post('/commitments/uz-kz-trade-10b/reviews')
      .set(...auth(alice))
      .set('Idempotency-Key', 'big-1')
      .send(review);
    expect(first.status).toBe(201);
    expect(h.tracker.responses.storedBytes()).toBeLessThanOrEqual(MAX_STORED_BODY_BYTES + 1_000);
    const replay = await request(h.app)
      .post('/commitments/uz-kz-trade-10b/reviews')
      .set(...auth(alice))
      .set('Idempotency-Key', 'big-1')
      .send(review);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.headers.etag).toBe(first.headers.etag);
    expect(replay.body.id).toBe('uz-kz-trade-10b');
    expect(replay.body.revision).toBe(first.body.revision);

    const count = (): number =>
      (
        h.tracker.localDb.prepare('SELECT COUNT(*) AS n FROM http_idempotency').get() as {
          n: number;
        }
      ).n;
    expect(count()).toBe(1);
    h.clock.advance(23 * 3_600_000);
    const app = createApp({
      tracker: h.tracker,
      config: { apiKeys: KEYS, openMode: false },
      logger: createLogger({ level: 'silent' }),
      clock: h.clock,
      sweepIntervalMs: 20,
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(count()).toBe(1); // within the window
    h.clock.advance(2 * 3_600_000);
    await vi.waitFor(() => expect(count()).toBe(0), { timeout: 2_000, interval: 20 });
    // A retry after the window is still not recorded twice (the events' ids come from the key).
    const late = await request(app)
      .post('/commitments/uz-kz-trade-10b/reviews')
      .set(...auth(alice))
      .set('Idempotency-Key', 'big-1')
      .send(review);
    expect(late.status).toBe(201);
    expect(late.body.revision).toBe(first.body.revision);
  });
});

/** An app served on a real port, so Host and Origin can be compared with it. */
async function listen(
  app: http.RequestListener,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return { port, close: () => new Promise((r) => server.close(() => r())) };
}

function rawPost(
  port: number,
  headers: Record<string, string>,
  body: unknown,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/commitments',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(data),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

describe('hardening: open mode answers only this machine', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(() => h.close());

  it('the DNS-rebinding request (foreign Host and matching Origin) is 421 and writes nothing', async () => {
    const s = await listen(h.app);
    try {
      const evil = await rawPost(
        s.port,
        { host: `attacker.example:${s.port}`, origin: `http://attacker.example:${s.port}` },
        tradeBody(),
      );
      expect(evil.status).toBe(421);
      expect(JSON.parse(evil.body).type).toBe('/docs#problem-misdirected');
      // A local Host with a foreign Origin (a cross-site form or fetch) is refused too.
      const crossSite = await rawPost(
        s.port,
        { host: `127.0.0.1:${s.port}`, origin: 'https://evil.example' },
        tradeBody(),
      );
      expect(crossSite.status).toBe(421);
      // Another port is another origin.
      expect((await rawPost(s.port, { host: `localhost:${s.port + 1}` }, tradeBody())).status).toBe(
        421,
      );
      expect(await h.tracker.store.headPosition()).toBe(0);
      // The server's own origin, and local tools that send no Origin, are served.
      const own = await rawPost(
        s.port,
        { host: `localhost:${s.port}`, origin: `http://localhost:${s.port}` },
        tradeBody(),
      );
      expect(own.status).toBe(201);
      const tool = await rawPost(s.port, { host: `[::1]:${s.port}` }, tradeBody({ id: 'x-tool' }));
      expect(tool.status).toBe(201);
    } finally {
      await s.close();
    }
  });

  it('with API keys the Host is not checked: the key decides', async () => {
    const k = await harness({ keys: KEYS });
    const s = await listen(k.app);
    try {
      const res = await rawPost(
        s.port,
        { host: `tracker.example.org:${s.port}`, authorization: `Bearer ${alice.secret}` },
        tradeBody(),
      );
      expect(res.status).toBe(201);
    } finally {
      await s.close();
      await k.close();
    }
  });
});

describe('hardening: headers and /health', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness({ keys: KEYS });
  });
  afterEach(() => h.close());

  it('JSON answers forbid loading and framing, send no referrer and stay same-origin', async () => {
    for (const path of ['/health', '/commitments', '/nope']) {
      const res = await request(h.app)
        .get(path)
        .set(...auth(bob));
      expect(res.headers['content-security-policy'], path).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('no-store');
    }
    const docs = await request(h.app).get('/docs');
    const csp = String(docs.headers['content-security-policy']);
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('public /health says only ok, degraded or unavailable; the detail goes to key holders and the log', async () => {
    const secretText = 'store unreachable: connect ECONNREFUSED 127.0.0.1:2113';
    const tracker = {
      ...h.tracker,
      health: async () => ({
        status: 'degraded' as const,
        store: 'eventstoredb' as const,
        position: 7,
        detail: secretText,
      }),
    };
    const app = createApp({
      tracker,
      config: { apiKeys: KEYS, openMode: false },
      logger: createLogger({ level: 'silent' }),
      clock: h.clock,
    });
    const pub = await request(app).get('/health');
    expect(pub.status).toBe(200);
    expect(pub.body).toEqual({ status: 'degraded' });
    expect(pub.text).not.toContain('ECONNREFUSED');
    const keyed = await request(app)
      .get('/health')
      .set(...auth(bob));
    expect(keyed.body).toMatchObject({ status: 'degraded', position: 7, detail: secretText });

    const broken = createApp({
      tracker: {
        ...h.tracker,
        health: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:2113')),
      },
      config: { apiKeys: KEYS, openMode: false },
      logger: createLogger({ level: 'silent' }),
      clock: h.clock,
    });
    const down = await request(broken).get('/health');
    expect(down.status).toBe(200);
    expect(down.body).toEqual({ status: 'unavailable' });
  });
});

describe('hardening: rate limits', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness({ keys: KEYS });
  });
  afterEach(() => h.close());

  const limited = (perKey: number, failures: number) =>
    createApp({
      tracker: h.tracker,
      config: {
        apiKeys: KEYS,
        openMode: false,
        rateLimitPerMinute: perKey,
        authFailuresPer15Min: failures,
      },
      logger: createLogger({ level: 'silent' }),
      clock: h.clock,
    });

  it('each key has its own budget; over it is 429 with Retry-After', async () => {
    const app = limited(3, 100);
    for (let i = 0; i < 3; i++)
      expect(
        (
          await request(app)
            .get('/commitments')
            .set(...auth(bob))
        ).status,
      ).toBe(200);
    const over = await request(app)
      .get('/commitments')
      .set(...auth(bob));
    expect(over.status).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(over.headers['content-type']).toMatch(/problem\+json/);
    expect(
      (
        await request(app)
          .get('/commitments')
          .set(...auth(carol))
      ).status,
    ).toBe(200);
  });

  it('failed authentications from one address are limited more strictly', async () => {
    const app = limited(1000, 3);
    for (let i = 0; i < 3; i++)
      expect(
        (await request(app).get('/commitments').set('Authorization', `Bearer guess-${i}`)).status,
      ).toBe(401);
    const blocked = await request(app).get('/commitments').set('Authorization', 'Bearer guess-4');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(60);
  });
});

describe('hardening: whole-log audits', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness({ keys: KEYS });
  });
  afterEach(() => h.close());

  it("a reader's verify is 403; an auditor's runs one at a time, and the last report is kept", async () => {
    let release!: () => void;
    let calls = 0;
    const report: VerifyReport = {
      ok: true,
      events: 0,
      chain: { ok: true },
      readModel: { ok: true, mismatches: [] },
    };
    const runner: AuditRunner = {
      verify: () => {
        calls += 1;
        if (calls > 1) return Promise.resolve(report);
        return new Promise((r) => {
          release = () => r(report);
        });
      },
      replay: (o) => h.tracker.replay(o),
    };
    const app = createApp({
      tracker: { ...h.tracker, auditRunner: runner },
      config: { apiKeys: KEYS, openMode: false },
      logger: createLogger({ level: 'silent' }),
      clock: h.clock,
    });
    expect(
      (
        await request(app)
          .get('/audit/verify')
          .set(...auth(bob))
      ).status,
    ).toBe(403);
    expect(calls).toBe(0);
    expect(
      (
        await request(app)
          .get('/audit/verify/last')
          .set(...auth(carol))
      ).status,
    ).toBe(404);

    const first = request(app)
      .get('/audit/verify')
      .set(...auth(carol))
      .then((r) => r);
    await vi.waitFor(() => expect(calls).toBe(1));
    const second = await request(app)
      .get('/audit/verify')
      .set(...auth(carol));
    expect(second.status).toBe(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(calls).toBe(1);
    // A replay is another kind of job: it may run meanwhile.
    expect(
      (
        await request(app)
          .get('/audit/replay')
          .set(...auth(carol))
      ).status,
    ).toBe(200);
    release();
    expect((await first).body).toEqual(report);
    const last = await request(app)
      .get('/audit/verify/last')
      .set(...auth(carol));
    expect(last.status).toBe(200);
    expect(last.body).toMatchObject({ report, position: 0 });
    expect(
      (
        await request(app)
          .get('/audit/verify')
          .set(...auth(carol))
      ).status,
    ).toBe(200);
    expect(calls).toBe(2);
  });
});
