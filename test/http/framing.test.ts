/**
 * Requests that never reach a route handler still get problem+json, and answers are not cut
 * short when a client sends a body nobody reads and then closes.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/domain/clock.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/http/logger.js';
import { startServer } from '../../src/bootstrap.js';
import type { RunningServer } from '../../src/http/server.js';

/** Send raw bytes, read until the server closes, return the whole answer. */
function raw(port: number, chunks: Array<string | Buffer>): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const got: Buffer[] = [];
    sock.on('data', (d) => got.push(d));
    sock.on('error', reject);
    sock.on('close', () => resolve(Buffer.concat(got).toString('utf8')));
    sock.on('connect', () => {
      for (const c of chunks) sock.write(c);
      sock.end();
    });
  });
}

function parse(answer: string): { status: number; headers: string; body: string } {
  const [head = '', ...rest] = answer.split('\r\n\r\n');
  return {
    status: Number(head.split(' ')[1]),
    headers: head.toLowerCase(),
    body: rest.join('\r\n\r\n'),
  };
}

describe('framing', () => {
  let running: RunningServer;
  let dir: string;
  let port: number;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commitments-framing-'));
    const config = loadConfig({ PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'silent' });
    running = await startServer({
      config,
      logger: createLogger({ level: 'silent' }),
      clock: fixedClock('2026-01-10T12:00:00.000Z'),
      handleSignals: false,
    });
    port = Number(new URL(running.url).port);
  });
  afterAll(async () => {
    await running.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers a request that is not valid HTTP with a problem+json 400', async () => {
    const res = parse(await raw(port, ['GARBAGE / HTTP/1.1\r\nHost: x\r\n\r\n']));
    expect(res.status).toBe(400);
    expect(res.headers).toContain('content-type: application/problem+json');
    expect(JSON.parse(res.body)).toMatchObject({ status: 400, title: 'Bad Request' });
  });

  it('answers a declared body over 1 MB with 413 on any route, in full', async () => {
    const size = 1024 * 1024 + 100_000;
    const res = parse(
      await raw(port, [
        `GET /docs HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\nContent-Length: ${size}\r\n\r\n`,
        Buffer.alloc(size, 0x61),
      ]),
    );
    expect(res.status).toBe(413);
    expect(res.headers).toContain('application/problem+json');
    expect(JSON.parse(res.body)).toMatchObject({ status: 413 });
  });

  it('does not cut short an answer when an unread body precedes Connection: close', async () => {
    const size = 900_000;
    const res = parse(
      await raw(port, [
        `GET /docs HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\nContent-Length: ${size}\r\n\r\n`,
        Buffer.alloc(size, 0x61),
      ]),
    );
    expect(res.status).toBe(200);
    const length = Number(/content-length: (\d+)/.exec(res.headers)?.[1]);
    expect(Buffer.byteLength(res.body)).toBe(length);
    expect(res.body).toContain('</html>');
  });
});
