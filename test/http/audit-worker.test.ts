/**
 * Verify and replay in a worker thread (issue 20): the compiled worker (dist/, built by
 * `npm run build`, which `npm test` runs first) gives the same answers as the inline audits,
 * on its own connections, while the server thread keeps serving.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerAuditRunner } from '../../src/audit-runner.js';
import { KEYS, harness, tradeBody, type Harness } from './helpers.js';

const WORKER = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../dist/src/audit-worker.js',
);
const built = fs.existsSync(WORKER);
if (!built) console.log(`skipping the audit worker tests: ${WORKER} is not built (npm run build)`);

describe.skipIf(!built)('audit worker thread', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ keys: KEYS });
    const [alice] = KEYS as [(typeof KEYS)[0]];
    for (const id of ['w-one', 'w-two'])
      await request(h.app)
        .post('/commitments')
        .set('Authorization', `Bearer ${alice.secret}`)
        .send(tradeBody({ id }))
        .expect(201);
  });
  afterAll(() => h.close());

  it('verify and replay in the worker answer as the inline audits do', async () => {
    const runner = workerAuditRunner({ file: WORKER, dataDir: h.dir });
    const inline = await h.tracker.verify();
    expect(inline.events).toBe(2);
    expect(await runner.verify()).toEqual(inline);
    const opts = { knownAt: '2026-01-10T12:00:00.000Z', asOf: '2026-01-10' };
    expect(await runner.replay(opts)).toEqual(await h.tracker.replay(opts));
  });

  it('the event loop keeps turning while the worker verifies', async () => {
    const runner = workerAuditRunner({ file: WORKER, dataDir: h.dir });
    let turns = 0;
    let done = false;
    const spin = (): void => {
      if (done) return;
      turns += 1;
      setImmediate(spin);
    };
    spin();
    await runner.verify();
    done = true;
    expect(turns).toBeGreaterThan(1);
  });
});
