/**
 * Issue 14: a large export does not block the server. A `/health` request sent once the server
 * has begun a 20,000-commitment calendar is answered before the export has read its last page
 * of the read model, and before the calendar ends. Order of events only, no timing threshold.
 * (Before streaming, every page was read in one run of microtasks and the calendar rendered in
 * one go, so `/health` could only be served afterwards.) The calendar also parses with ical.js.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCommitments } from '../../bench/seed.js';
import { openTracker, type OpenTracker } from '../../src/bootstrap.js';
import { fixedClock } from '../../src/domain/clock.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/http/logger.js';
import type { ListFilter } from '../../src/read-model/types.js';

const N = 20_000;
let dir: string;
let tracker: OpenTracker;
let server: http.Server;
let base: string;
const order: string[] = [];
let onFirstPage: () => void = () => undefined;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commitments-export-stream-'));
  const ids = await seedCommitments(dir, 7, N);
  expect(ids.length).toBe(N);
  const clock = fixedClock('2020-06-01T12:00:00.000Z');
  tracker = await openTracker({ dataDir: dir, clock, synchronous: 'OFF' });
  let pages = 0;
  // The application as the app sees it, with its page reads observed.
  const observed: OpenTracker = {
    ...tracker,
    async list(filter: ListFilter) {
      const page = await tracker.list(filter);
      pages += 1;
      if (pages === 1) onFirstPage();
      if (page.nextCursor === null) order.push('export read its last page');
      return page;
    },
  };
  const app = createApp({
    tracker: observed,
    config: { apiKeys: [], openMode: true },
    logger: createLogger({ level: 'silent' }),
    clock,
  });
  server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await tracker.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const get = (url: string, onResponse: (res: http.IncomingMessage) => void): Promise<void> =>
  new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        onResponse(res);
        res.on('end', resolve);
        res.on('error', reject);
      })
      .on('error', reject);
  });

describe('a large calendar streams without blocking the server', () => {
  it('answers /health before a 20k-commitment calendar finishes, and the calendar parses', async () => {
    const parts: Buffer[] = [];
    let health: Promise<void> = Promise.resolve();
    onFirstPage = () => {
      order.push('export started');
      health = get(`${base}/health`, (h) => {
        h.resume();
        h.on('end', () => order.push(`health answered ${h.statusCode}`));
      });
    };
    await get(`${base}/calendar.ics`, (res) => {
      order.push(`calendar status ${res.statusCode} ${res.headers['transfer-encoding']}`);
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => order.push('calendar ended'));
    });
    await health;
    expect(order.filter((o) => !o.startsWith('calendar status'))).toEqual([
      'export started',
      'health answered 200',
      'export read its last page',
      'calendar ended',
    ]);
    expect(order).toContain('calendar status 200 chunked');

    const text = Buffer.concat(parts).toString('utf8');
    const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent');
    // Every seeded commitment is open, with a follow-up at least: one event or two each.
    const ids = new Set(events.map((e) => String(e.getFirstPropertyValue('uid')).split('@')[0]));
    expect(events.length).toBeGreaterThanOrEqual(N);
    expect(ids.size).toBe(events.length);
  }, 120_000);
});
