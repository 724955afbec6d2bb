/** `commitments keygen` (issue 20): prints a secret that API_KEYS accepts; a weak one is refused. */
import { describe, expect, it } from 'vitest';
import { MIN_SECRET_LENGTH, parseApiKeys } from '../../src/config.js';
import { newSecret } from '../../src/cli/commands/keygen.js';
import { removeDir, runCli, tempDir } from './helpers.js';

describe('commitments keygen', () => {
  it('makes random secrets long enough for API_KEYS', () => {
    const a = newSecret();
    const b = newSecret();
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(MIN_SECRET_LENGTH);
    expect(a).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(parseApiKeys(`ops:auditor:${a}`)[0]?.secret).toBe(a);
  });

  it('prints a whole API_KEYS entry, and the server starts with it but not with a short one', async () => {
    const dir = tempDir('keygen');
    try {
      const r = await runCli(['keygen', 'ops', 'auditor'], { dataDir: dir });
      expect(r.code).toBe(0);
      const entry = r.stdout.trim();
      expect(entry).toMatch(/^ops:auditor:[A-Za-z0-9_-]{43}$/);
      expect(parseApiKeys(entry)).toHaveLength(1);
      const bad = await runCli(['keygen', 'ops', 'admin'], { dataDir: dir });
      expect(bad.code).toBe(2);
      const weak = await runCli(['serve'], {
        dataDir: dir,
        env: { API_KEYS: 'ops:reader:short-secret', PORT: '0' },
        timeoutMs: 20_000,
      });
      expect(weak.code).not.toBe(0);
      expect(weak.stdout + weak.stderr).toMatch(/at least 32 are needed.*commitments keygen/);
      expect(weak.stdout + weak.stderr).not.toContain('short-secret');
    } finally {
      removeDir(dir);
    }
  });
});
