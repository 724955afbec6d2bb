/**
 * A verify that outlasts the server's idle-socket timeout still answers. The server closes a
 * socket idle for HTTP_REQUEST_TIMEOUT_MS (slow clients, issue 8), and a verify has nothing to
 * send until it ends: on the benchmark's 1M-event log (over a minute) the connection was cut
 * with no answer. Here the timeout is 300 ms and the verify is held until the socket would
 * have been idle for four times that.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openTracker } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { fixedClock } from '../../src/domain/clock.js';
import { createLogger } from '../../src/http/logger.js';
import { startServer, type RunningServer } from '../../src/http/server.js';

const IDLE_MS = 300;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commitments-verify-long-'));
let running: RunningServer | null = null;

afterAll(async () => {
  await running?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

it('answers a verify that runs longer than the idle-socket timeout', async () => {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    HTTP_HEADERS_TIMEOUT_MS: String(IDLE_MS),
    HTTP_REQUEST_TIMEOUT_MS: String(IDLE_MS),
  });
  const clock = fixedClock('2026-01-10T12:00:00.000Z');
  const tracker = await openTracker({ dataDir: dir, clock });
  const slowVerify = async (): Promise<Awaited<ReturnType<typeof tracker.verify>>> => {
    await new Promise((r) => setTimeout(r, 4 * IDLE_MS));
    return tracker.verify();
  };
  running = await startServer({
    config,
    logger: createLogger({ level: 'silent' }),
    clock,
    handleSignals: false,
    open: async () => ({
      ...tracker,
      auditRunner: {
        verify: slowVerify,
        replay: (o) => tracker.replay(o),
      },
    }),
  });
  expect(running.server.timeout).toBe(IDLE_MS);
  const res = await get(`${running.url}/audit/verify`);
  expect(res.status).toBe(200);
  expect(JSON.parse(res.body)).toMatchObject({ ok: true, events: 0 });
});
