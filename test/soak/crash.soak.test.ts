/**
 * Crash safety, long run (issue 8): 9 SIGKILLs of the real server under 16 concurrent writers,
 * at kill points spread from 0.3 s to 4 s into the load, on one growing data dir.
 * See test/reliability/crash.ts for what each round checks.
 */
import { afterAll, describe, expect, it } from 'vitest';

import { runCrashRounds } from '../reliability/crash.js';
import { removeDir, tempDir } from '../reliability/helpers.js';

describe('crash safety (soak)', () => {
  const dir = tempDir('crash-soak');
  afterAll(() => removeDir(dir));

  it('9 kills mid-load: every 201 survives, the log verifies, the read model equals a rebuild', async () => {
    const s = await runCrashRounds({
      dataDir: dir,
      rounds: 9,
      minKillMs: 300,
      maxKillMs: 4000,
      log: (m) => console.log(m),
    });
    expect(s.kills).toBe(9);
    expect(s.events).toBeGreaterThanOrEqual(8 + s.acknowledged);
  }, 280_000);
});
