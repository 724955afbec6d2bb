/**
 * Hostile input (issue 8): every route, random and hostile bodies, queries and headers.
 * Never 5xx, never a dropped connection, every 4xx is problem+json, a rejected request
 * writes nothing. The long version (more runs) is test/soak/hostile-input.soak.test.ts.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { getJson, inProcessServer, type InProcess, type VerifyBody } from './helpers.js';
import {
  allRoutes,
  HOSTILE_IDS,
  HOSTILE_VALUES,
  hostileBodies,
  requestArb,
  seed,
  sendAndCheck,
  validBody,
} from './hostile.js';

describe('hostile input', () => {
  let app: InProcess;
  const routes = allRoutes();

  beforeAll(async () => {
    app = await inProcessServer();
    await seed(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('covers every route of the API', () => {
    const names = routes.map((r) => `${r.method} ${r.template}`);
    for (const expected of [
      'POST /commitments',
      'GET /commitments',
      'GET /commitments/{id}',
      'POST /commitments/{id}/progress',
      'POST /commitments/{id}/corrections',
      'GET /commitments/{id}/history',
      'GET /overdue',
      'GET /upcoming',
      'GET /audit/replay',
      'GET /audit/verify',
      'GET /events',
      'GET /health',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it('every hostile body on every write route is a 4xx problem or a clean 201', async () => {
    for (const route of routes.filter((r) => r.method === 'POST')) {
      for (const body of hostileBodies(validBody(route.template))) {
        await sendAndCheck(app, {
          method: 'POST',
          path: route.template.replace('{id}', 'seed-one'),
          headers: { 'content-type': 'application/json' },
          body,
        });
      }
    }
  });

  it('SQL-looking and path-traversal ids on every {id} route are 404 problems', async () => {
    for (const route of routes.filter((r) => r.template.includes('{id}'))) {
      for (const id of HOSTILE_IDS.filter((i) => !i.startsWith('seed-'))) {
        const body = validBody(route.template);
        const res = await sendAndCheck(app, {
          method: route.method,
          path: route.template.replace('{id}', id),
          headers: body ? { 'content-type': 'application/json' } : {},
          ...(body ? { body: Buffer.from(JSON.stringify(body)) } : {}),
        });
        expect([400, 404]).toContain(res.status);
      }
    }
  });

  it('SQL-looking and hostile query values on every GET route are handled', async () => {
    for (const route of routes.filter((r) => r.method === 'GET')) {
      for (const key of [
        'q',
        'party',
        'tag',
        'cursor',
        'asOf',
        'knownAt',
        'limit',
        'after',
        '__proto__',
      ]) {
        for (const v of HOSTILE_VALUES) {
          await sendAndCheck(app, {
            method: 'GET',
            path: `${route.template.replace('{id}', 'seed-one')}?${key}=${encodeURIComponent(v)}`,
            headers: {},
          });
        }
      }
    }
    // The events table is still there and the SQL text matched nothing.
    const q = await getJson<{ items: unknown[] }>(
      `${app.url}/commitments?q=${encodeURIComponent("'; DROP TABLE events;--")}`,
    );
    expect(q.status).toBe(200);
    expect(q.body.items).toEqual([]);
    expect(await app.head()).toBeGreaterThan(0);
  });

  it('property: random hostile requests on every route', async () => {
    await fc.assert(
      fc.asyncProperty(requestArb(routes), async (r) => {
        await sendAndCheck(app, r);
      }),
      { numRuns: 300 },
    );
  });

  it('afterwards: no prototype was polluted, the log verifies and the read model matches', async () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    const v = await getJson<VerifyBody>(`${app.url}/audit/verify`);
    expect(v.status).toBe(200);
    expect(v.body.chain).toEqual({ ok: true });
    expect(v.body.readModel.ok).toBe(true);
    expect(v.body.ok).toBe(true);
  });
});
