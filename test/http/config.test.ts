import { describe, expect, it } from 'vitest';
import { ConfigError, isLoopbackHost, loadConfig, parseApiKeys } from '../../src/config.js';
import { systemClock } from '../../src/clock.js';

/** Pads a test secret to the 32 characters API_KEYS asks for. */
const LONG = '-0123456789abcdefghijklmnopqrstuv';

describe('config', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: './data',
      apiKeys: [],
      openMode: true,
      sqliteSynchronous: 'FULL',
      logLevel: 'info',
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
    });
    expect(c.eventstoreUrl).toBeUndefined();
  });

  it('reads every variable', () => {
    const c = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/tmp/x',
      EVENTSTORE_URL: 'esdb://localhost:2113?tls=false',
      API_KEYS: `alice:recorder:${'S'.repeat(32)},bob:reader:${'T'.repeat(40)}`,
      SQLITE_SYNCHRONOUS: 'normal',
      LOG_LEVEL: 'warn',
    });
    expect(c).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/tmp/x',
      openMode: false,
      sqliteSynchronous: 'NORMAL',
      logLevel: 'warn',
    });
    expect(c.eventstoreUrl).toBe('esdb://localhost:2113?tls=false');
    expect(c.apiKeys).toEqual([
      { name: 'alice', role: 'recorder', secret: 'S'.repeat(32) },
      { name: 'bob', role: 'reader', secret: 'T'.repeat(40) },
    ]);
  });

  it('refuses open mode on a non-loopback HOST, naming API_KEYS', () => {
    for (const host of ['0.0.0.0', '192.168.1.10', '::', 'example.org']) {
      expect(() => loadConfig({ HOST: host })).toThrow(ConfigError);
      expect(() => loadConfig({ HOST: host })).toThrow(/API_KEYS/);
    }
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost']) {
      expect(loadConfig({ HOST: host }).openMode).toBe(true);
    }
    expect(isLoopbackHost('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
  });

  it('rejects malformed values and never echoes a secret', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ SQLITE_SYNCHRONOUS: 'sometimes' })).toThrow(/SQLITE_SYNCHRONOUS/);
    expect(() => loadConfig({ EVENTSTORE_URL: 'http://x' })).toThrow(/EVENTSTORE_URL/);
    for (const bad of [
      `alice:admin:TOPSECRET${LONG}`,
      'alice:TOPSECRET',
      `a:reader:TOPSECRET${LONG},a:recorder:TOPSECRET2${LONG}`,
      `a:reader:TOPSECRET${LONG},b:reader:TOPSECRET${LONG}`,
      'a:reader:TOPSECRET', // too short
    ]) {
      let msg = '';
      try {
        parseApiKeys(bad);
      } catch (e) {
        msg = (e as Error).message;
      }
      expect(msg, bad).toMatch(/API_KEYS/);
      expect(msg).not.toContain('TOPSECRET');
    }
    expect(parseApiKeys(`svc:recorder:a:b:c${LONG}`)).toEqual([
      { name: 'svc', role: 'recorder', secret: `a:b:c${LONG}` },
    ]);
  });

  it('refuses a secret shorter than 32 characters at start, saying how to make one (issue 20)', () => {
    expect(() => loadConfig({ API_KEYS: 'alice:recorder:x' })).toThrow(ConfigError);
    expect(() => loadConfig({ API_KEYS: `alice:recorder:${'x'.repeat(31)}` })).toThrow(
      /at least 32.*commitments keygen/,
    );
    expect(loadConfig({ API_KEYS: `alice:auditor:${'x'.repeat(32)}` }).apiKeys).toEqual([
      { name: 'alice', role: 'auditor', secret: 'x'.repeat(32) },
    ]);
  });

  it('systemClock reads the real time', () => {
    const a = systemClock.now();
    expect(a).toBeInstanceOf(Date);
    expect(Number.isNaN(a.getTime())).toBe(false);
    expect(systemClock.now()).not.toBe(a); // a fresh Date each call
  });
});
