/**
 * Crash safety, short run (issue 8): 3 SIGKILLs of the real server under 16 concurrent writers.
 * The long run (more kills, more load) is test/soak/crash.soak.test.ts; the rounds are in ./crash.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';

import { runCrashRounds } from './crash.js';
import { removeDir, tempDir } from './helpers.js';

describe('crash safety (short)', () => {
  const dir = tempDir('crash');
  afterAll(() => removeDir(dir));

  it('3 kills mid-load: every 201 survives, the log verifies, the read model equals a rebuild', async () => {
    const s = await runCrashRounds({
      dataDir: dir,
      rounds: 3,
      minKillMs: 300,
      maxKillMs: 1500,
      log: (m) => console.log(m),
    });
    expect(s.acknowledged).toBeGreaterThan(0);
    expect(s.events).toBeGreaterThanOrEqual(8 + s.acknowledged);
  }, 120_000);
});
