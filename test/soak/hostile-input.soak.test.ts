/**
 * Hostile input, long run (issue 8): the property of test/reliability/hostile-input.test.ts
 * with many more runs. See test/reliability/hostile.ts for what is sent and checked.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  getJson,
  inProcessServer,
  type InProcess,
  type VerifyBody,
} from '../reliability/helpers.js';
import { allRoutes, requestArb, seed, sendAndCheck } from '../reliability/hostile.js';

describe('hostile input (soak)', () => {
  let app: InProcess;
  beforeAll(async () => {
    app = await inProcessServer();
    await seed(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('3000 random hostile requests on every route', async () => {
    await fc.assert(
      fc.asyncProperty(requestArb(allRoutes()), async (r) => {
        await sendAndCheck(app, r);
      }),
      { numRuns: 3000 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const v = await getJson<VerifyBody>(`${app.url}/audit/verify`);
    expect(v.body.ok, JSON.stringify(v.body)).toBe(true);
  }, 240_000);
});
