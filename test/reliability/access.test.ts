/**
 * Access (issue 8): a role matrix over every route (from the OpenAPI document), secrets
 * never in logs or responses, and no open mode on a non-loopback host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  KEYS,
  inProcessServer,
  rawRequest,
  removeDir,
  runCli,
  spawnServer,
  tempDir,
  type InProcess,
  type RawResponse,
} from './helpers.js';
import { allRoutes, validBody, type Route } from './hostile.js';

const [RECORDER, READER] = KEYS as [(typeof KEYS)[0], (typeof KEYS)[0]];
/** Wrong keys, one of them a real secret with a typo: none of these may be logged either. */
const WRONG_KEYS = [`${RECORDER.secret}-typo`, 'WRONG-key-5b1f0e77c2', READER.secret.toUpperCase()];
const PUBLIC = new Set(['/health', '/openapi.json', '/docs']);
/** Whole-log audits need the auditor role (issue 20). */
const AUDIT = new Set(['/audit/verify', '/audit/replay', '/audit/verify/last']);
const AUDITOR = KEYS[2] as (typeof KEYS)[0];
/** POST routes that answer without writing (a read of the request body). */
const NO_WRITE = new Set(['/extractions']);

async function call(
  app: InProcess,
  route: Route,
  authorization: string | undefined,
): Promise<{ res: RawResponse; wrote: boolean }> {
  // Each write goes to its own fresh commitment, so a recorder's valid command is a 201.
  let id = 'seed-one';
  if (route.method === 'POST' && route.template !== '/commitments') {
    const made = await rawRequest(app.url, {
      method: 'POST',
      path: '/commitments',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${RECORDER.secret}` },
      body: JSON.stringify(validBody('/commitments') ?? {}),
    });
    // The body has no id: use the one the server made.
    id = (JSON.parse(made.body.toString()) as { id: string }).id;
  }
  const body = route.method === 'POST' ? validBody(route.template) : undefined;
  const before = await app.head();
  const res = await rawRequest(app.url, {
    method: route.method,
    path: route.template.replace('{id}', id),
    headers: {
      ...(authorization !== undefined ? { authorization } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { res, wrote: (await app.head()) !== before };
}

function expectProblem(res: RawResponse, status: number): void {
  expect(res.status).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect((JSON.parse(res.body.toString()) as { status: number }).status).toBe(status);
}

describe('access: role matrix over every route', () => {
  let app: InProcess;
  const routes = allRoutes();
  const responses: RawResponse[] = [];

  beforeAll(async () => {
    app = await inProcessServer({ keys: KEYS });
    for (const id of ['seed-one', 'seed-two']) {
      const r = await rawRequest(app.url, {
        method: 'POST',
        path: '/commitments',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${RECORDER.secret}` },
        body: JSON.stringify({ ...validBody('/commitments'), id }),
      });
      expect(r.status).toBe(201);
    }
  });
  afterAll(async () => {
    await app.close();
  });

  it('has routes to check (all of them, from the OpenAPI document)', () => {
    expect(routes.filter((r) => r.method === 'POST').length).toBeGreaterThanOrEqual(10);
    expect(routes.filter((r) => r.method === 'GET').length).toBeGreaterThanOrEqual(11);
  });

  it('no key: 401 with WWW-Authenticate: Bearer (public routes stay open), nothing written', async () => {
    for (const route of routes) {
      const { res, wrote } = await call(app, route, undefined);
      responses.push(res);
      expect(wrote, `${route.method} ${route.template}`).toBe(false);
      if (route.method === 'GET' && PUBLIC.has(route.template)) {
        expect(res.status, `${route.method} ${route.template}`).toBe(200);
        continue;
      }
      expectProblem(res, 401);
      expect(String(res.headers['www-authenticate'])).toMatch(/^Bearer\b/);
    }
  });

  it('a wrong or malformed key: 401 on every non-public route, nothing written', async () => {
    const bad = [
      ...WRONG_KEYS.map((k) => `Bearer ${k}`),
      `Basic ${Buffer.from(`alice:${RECORDER.secret}`).toString('base64')}`,
      'Bearer',
      `Bearer ${RECORDER.secret} extra`,
      RECORDER.secret,
    ];
    for (const route of routes) {
      for (const authorization of bad) {
        const { res, wrote } = await call(app, route, authorization);
        responses.push(res);
        expect(wrote, `${route.method} ${route.template} with ${authorization}`).toBe(false);
        if (route.method === 'GET' && PUBLIC.has(route.template)) {
          expect(res.status).toBe(200);
          continue;
        }
        expectProblem(res, 401);
        expect(String(res.headers['www-authenticate'])).toMatch(/^Bearer\b/);
      }
    }
  });

  it('reader: every GET but the audits is answered, every POST is 403 and writes nothing', async () => {
    for (const route of routes) {
      const { res, wrote } = await call(app, route, `Bearer ${READER.secret}`);
      responses.push(res);
      const what = `${route.method} ${route.template}: ${res.body.toString().slice(0, 200)}`;
      if (AUDIT.has(route.template)) {
        expectProblem(res, 403);
      } else if (route.method === 'GET') {
        expect(res.status, what).toBe(200);
      } else {
        expectProblem(res, 403);
        expect(wrote, what).toBe(false);
      }
    }
  });

  it('auditor: every GET is answered (the audits too), every POST is 403 and writes nothing', async () => {
    for (const route of routes) {
      const { res, wrote } = await call(app, route, `Bearer ${AUDITOR.secret}`);
      responses.push(res);
      const what = `${route.method} ${route.template}: ${res.body.toString().slice(0, 200)}`;
      if (route.method === 'GET') {
        expect(res.status, what).toBe(200);
      } else {
        expectProblem(res, 403);
        expect(wrote, what).toBe(false);
      }
    }
  });

  it('recorder: every GET but the audits is answered and every POST with a valid body is 201', async () => {
    for (const route of routes) {
      const { res, wrote } = await call(app, route, `Bearer ${RECORDER.secret}`);
      responses.push(res);
      const what = `${route.method} ${route.template}: ${res.body.toString().slice(0, 300)}`;
      if (AUDIT.has(route.template)) {
        expectProblem(res, 403);
      } else if (route.method === 'GET') {
        expect(res.status, what).toBe(200);
      } else if (NO_WRITE.has(route.template)) {
        expect(res.status, what).toBe(200);
        expect(wrote, what).toBe(false);
      } else {
        expect(res.status, what).toBe(201);
        expect(wrote, what).toBe(true);
      }
    }
  });

  it('recordedBy is the key name, never the secret', async () => {
    const res = await rawRequest(app.url, {
      method: 'GET',
      path: '/commitments/seed-one/history',
      headers: { authorization: `Bearer ${READER.secret}` },
    });
    const history = JSON.parse(res.body.toString()) as { events: Array<{ recordedBy: string }> };
    expect(history.events[0]?.recordedBy).toBe('alice');
  });

  it('no secret, right or wrong, appears in any response or in the logs', () => {
    const secrets = [...KEYS.map((k) => k.secret), ...WRONG_KEYS];
    expect(responses.length).toBeGreaterThan(routes.length * 4);
    for (const res of responses) {
      const all = JSON.stringify(res.headers) + res.body.toString('utf8');
      for (const s of secrets) expect(all.includes(s), `response leaks ${s}`).toBe(false);
    }
    const logs = app.logs.join('');
    // The logs are there (the scan is not vacuous): request logs with the actor's name.
    expect(logs).toMatch(/"actor":"alice"/);
    expect(logs).toMatch(/"statusCode":401/);
    for (const s of secrets) expect(logs.includes(s), `log leaks ${s}`).toBe(false);
    expect(logs.toLowerCase()).not.toMatch(/bearer [a-z0-9]/i);
  });
});

describe('access: the real server process', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) removeDir(d);
  });
  const apiKeys = KEYS.map((k) => `${k.name}:${k.role}:${k.secret}`).join(',');

  it('never writes a secret to its log (stdout/stderr), even when sent as a wrong key', async () => {
    const dir = tempDir('access-logs');
    dirs.push(dir);
    const srv = await spawnServer({ dataDir: dir, env: { API_KEYS: apiKeys, LOG_LEVEL: 'trace' } });
    try {
      const auth = (s: string): Record<string, string> => ({ authorization: `Bearer ${s}` });
      const json = { 'content-type': 'application/json' };
      const body = JSON.stringify(validBody('/commitments'));
      const reqs: Array<Parameters<typeof rawRequest>[1]> = [
        {
          method: 'POST',
          path: '/commitments',
          headers: { ...json, ...auth(RECORDER.secret) },
          body,
        },
        {
          method: 'POST',
          path: '/commitments',
          headers: { ...json, ...auth(READER.secret) },
          body,
        },
        { method: 'GET', path: '/commitments', headers: auth(READER.secret) },
        { method: 'GET', path: '/audit/verify', headers: auth(WRONG_KEYS[0] as string) },
        { method: 'GET', path: '/commitments', headers: auth(WRONG_KEYS[1] as string) },
        { method: 'GET', path: '/health', headers: auth(WRONG_KEYS[2] as string) },
        {
          method: 'POST',
          path: '/commitments',
          headers: { ...json, ...auth(RECORDER.secret) },
          body: '{bad',
        },
        { method: 'GET', path: '/nope', headers: auth(RECORDER.secret) },
        {
          method: 'GET',
          path: '/commitments',
          headers: {
            authorization: `Basic ${Buffer.from(`x:${RECORDER.secret}`).toString('base64')}`,
          },
        },
      ];
      for (const r of reqs) {
        const res = await rawRequest(srv.url, r);
        expect(res.status).toBeLessThan(500);
      }
    } finally {
      await srv.stop();
    }
    const out = srv.output();
    expect(out).toMatch(/"statusCode":401/); // the request logs are in the captured output
    for (const s of [...KEYS.map((k) => k.secret), ...WRONG_KEYS]) {
      expect(out.includes(s), `server log leaks ${s}`).toBe(false);
    }
    expect(out.includes(Buffer.from(`x:${RECORDER.secret}`).toString('base64'))).toBe(false);
  });

  it('refuses open mode on a non-loopback HOST, naming API_KEYS', async () => {
    const dir = tempDir('access-open');
    dirs.push(dir);
    const r = await runCli(['serve'], {
      dataDir: dir,
      env: { HOST: '0.0.0.0', PORT: '0', LOG_LEVEL: 'info' },
      timeoutMs: 20_000,
    });
    expect(r.signal).toBeNull(); // it exited by itself, it was not killed by the timeout
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/API_KEYS/);
  });

  it('does not echo a secret from a malformed API_KEYS in its refusal', async () => {
    const dir = tempDir('access-badkeys');
    dirs.push(dir);
    const r = await runCli(['serve'], {
      dataDir: dir,
      env: { HOST: '127.0.0.1', PORT: '0', API_KEYS: 'carol:admin:Sup3rSecretValue42' },
      timeoutMs: 20_000,
    });
    expect(r.signal).toBeNull();
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/API_KEYS/);
    expect(r.stdout + r.stderr).not.toContain('Sup3rSecretValue42');
  });
});
