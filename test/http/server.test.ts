/**
 * The real server: startServer on an ephemeral port, timeouts, graceful shutdown, and
 * 503 + Retry-After when the store is unreachable (a real EventStoreDB client pointed at a
 * closed loopback port: no fake server).
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/domain/clock.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/http/logger.js';
import { startServer } from '../../src/bootstrap.js';
import type { RunningServer } from '../../src/http/server.js';
import { tradeBody } from './helpers.js';

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('startServer', () => {
  const dirs: string[] = [];
  let running: RunningServer | null = null;
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'commitments-srv-'));
    dirs.push(d);
    return d;
  };
  afterEach(async () => {
    await running?.close();
    running = null;
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('serves the API on HOST:PORT with timeouts set, and still holds after a restart', async () => {
    const dataDir = tmp();
    const config = loadConfig({
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      SQLITE_SYNCHRONOUS: 'NORMAL',
    });
    const logger = createLogger({ level: 'silent' });
    const clock = fixedClock('2026-01-10T12:00:00.000Z');
    running = await startServer({ config, logger, clock, handleSignals: false });
    expect(running.server.headersTimeout).toBe(10_000);
    expect(running.server.requestTimeout).toBe(30_000);
    expect(running.server.keepAliveTimeout).toBe(5_000);
    expect(running.server.timeout).toBe(30_000);
    await request(running.url).post('/commitments').send(tradeBody()).expect(201);
    await running.close();
    running = await startServer({ config, logger, clock, handleSignals: false });
    const res = await request(running.url).get('/commitments/uz-kz-trade-10b');
    expect(res.status).toBe(200);
    expect(res.headers['etag']).toBe('"1"');
  });

  it('graceful close lets an in-flight request finish, then stops accepting', async () => {
    const config = loadConfig({ PORT: '0', DATA_DIR: tmp(), LOG_LEVEL: 'silent' });
    const srv = await startServer({
      config,
      logger: createLogger({ level: 'silent' }),
      clock: fixedClock('2026-01-10T12:00:00.000Z'),
      handleSignals: false,
    });
    running = srv;
    const body = JSON.stringify(tradeBody());
    const arrived = new Promise<void>((r) => srv.server.once('request', () => r()));
    const url = new URL(srv.url);
    const response = new Promise<{ status: number; connection: string | undefined }>(
      (resolve, reject) => {
        const req = http.request(
          {
            host: url.hostname,
            port: url.port,
            method: 'POST',
            path: '/commitments',
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            res.resume();
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }),
            );
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 10)); // headers and the start of the body: the request is in flight
        void arrived.then(() => {
          closing = srv.close();
          setTimeout(() => req.end(body.slice(10)), 50);
        });
      },
    );
    let closing: Promise<void> | null = null;
    const res = await response;
    expect(res.status).toBe(201);
    expect(res.connection).toBe('close');
    await closing;
    running = null;
    await expect(request(srv.url).get('/health')).rejects.toThrow();
  });

  it('with EVENTSTORE_URL unreachable: /health is degraded, store routes are 503 with Retry-After', async () => {
    const port = await closedPort();
    const config = loadConfig({
      PORT: '0',
      DATA_DIR: tmp(),
      EVENTSTORE_URL: `esdb://127.0.0.1:${port}?tls=false`,
      LOG_LEVEL: 'silent',
    });
    running = await startServer({
      config,
      logger: createLogger({ level: 'silent' }),
      clock: fixedClock('2026-01-10T12:00:00.000Z'),
      handleSignals: false,
    });
    const post = await request(running.url).post('/commitments').send(tradeBody());
    expect(post.status).toBe(503);
    expect(post.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(post.headers['retry-after'])).toBeGreaterThan(0);
    const hist = await request(running.url).get('/commitments/uz-kz-trade-10b/history');
    expect(hist.status).toBe(503);
    expect(hist.headers['retry-after']).toBeDefined();
    // An unreachable store is "unavailable", never reported as a broken hash chain.
    const verify = await request(running.url).get('/audit/verify');
    expect(verify.status).toBe(503);
    expect(verify.headers['retry-after']).toBeDefined();
    const health = await request(running.url).get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'degraded', store: 'eventstoredb' });
  });
});
