/**
 * Slow clients (issue 8): a client that trickles its headers, or sends its headers and then
 * trickles the body, is cut off by the server's timeouts (HTTP_HEADERS_TIMEOUT_MS,
 * HTTP_REQUEST_TIMEOUT_MS; shortened here through the environment), while other clients are
 * served normally meanwhile. Runs the real `commitments serve` process.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  commitmentBody,
  postJson,
  removeDir,
  sleep,
  spawnServer,
  tempDir,
  type ChildServer,
} from './helpers.js';

/** How long a slow client keeps trickling before it gives up by itself (far above the timeouts). */
const TRICKLE_FOR_MS = 20_000;

interface Trickle {
  /** Resolves when the server closed the connection: what it sent back, and whether we were still trickling. */
  closed: Promise<{ received: string; stillTrickling: boolean }>;
}

function trickle(url: string, head: string, drip: string, everyMs: number): Trickle {
  const u = new URL(url);
  const socket = net.connect(Number(u.port), u.hostname);
  let received = '';
  let trickling = true;
  let timer: NodeJS.Timeout | undefined;
  socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
  socket.on('error', () => {}); // a reset is one way of being cut off
  socket.on('connect', () => {
    socket.write(head);
    const started = Date.now();
    timer = setInterval(() => {
      if (Date.now() - started > TRICKLE_FOR_MS) {
        trickling = false;
        clearInterval(timer);
        socket.destroy();
        return;
      }
      if (!socket.destroyed && socket.writable) socket.write(drip);
    }, everyMs);
  });
  const closed = new Promise<{ received: string; stillTrickling: boolean }>((resolve) => {
    socket.on('close', () => {
      const still = trickling;
      trickling = false;
      if (timer) clearInterval(timer);
      resolve({ received, stillTrickling: still });
    });
  });
  return { closed };
}

describe('slow clients', () => {
  let srv: ChildServer;
  const dir = tempDir('slow');

  beforeAll(async () => {
    srv = await spawnServer({
      dataDir: dir,
      env: { HTTP_HEADERS_TIMEOUT_MS: '1500', HTTP_REQUEST_TIMEOUT_MS: '3000' },
    });
  });
  afterAll(async () => {
    await srv.stop();
    removeDir(dir);
  });

  it('trickled headers and a trickled body are cut off; others are served meanwhile', async () => {
    const host = new URL(srv.url).host; // open mode answers only its own Host (issue 20)
    const slowHeaders = Array.from({ length: 5 }, () =>
      trickle(srv.url, `GET /health HTTP/1.1\r\nHost: ${host}\r\n`, 'X-Slow: a\r\n', 200),
    );
    const slowBodies = Array.from({ length: 5 }, () =>
      trickle(
        srv.url,
        `POST /commitments HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"title":"`,
        'a',
        200,
      ),
    );

    // Meanwhile, normal clients are served, reads and writes.
    let served = 0;
    for (let i = 0; i < 20; i += 1) {
      const h = await fetch(`${srv.url}/health`);
      expect(h.status).toBe(200);
      await h.arrayBuffer();
      const w = await postJson(`${srv.url}/commitments`, commitmentBody(`slow-ok-${i}`));
      expect(w.status).toBe(201);
      served += 2;
      await sleep(50);
    }
    expect(served).toBe(40);

    for (const t of [...slowHeaders, ...slowBodies]) {
      const r = await t.closed;
      // The server hung up while the client was still sending.
      expect(r.stillTrickling).toBe(true);
      // Nothing but a timeout answer (408) or a plain close came back.
      expect(r.received === '' || /^HTTP\/1\.1 408/.test(r.received), r.received).toBe(true);
    }
    // The slow writer wrote nothing.
    const ev = await fetch(`${srv.url}/events?limit=500`);
    const body = (await ev.json()) as { events: unknown[] };
    expect(body.events).toHaveLength(20);
  }, 60_000);
});
