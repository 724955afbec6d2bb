/**
 * Issue 20: full exports are bounded. While a calendar streams, a second calendar is 429 with
 * Retry-After (a CSV, another kind, still runs); once the first ends, or its client goes away,
 * the next calendar is served. Order of events only: the second request is sent from inside
 * the first export's first page read.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCommitments } from '../../bench/seed.js';
import { exportJobs } from '../../src/app/export-jobs.js';
import { openTracker, type OpenTracker } from '../../src/bootstrap.js';
import { fixedClock } from '../../src/domain/clock.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/http/logger.js';
import type { ListFilter } from '../../src/read-model/types.js';

const N = 1_000; // five read-model pages of 200
let dir: string;
let tracker: OpenTracker;
let server: http.Server;
let base: string;
let onPage: (n: number) => void = () => undefined;
const clock = fixedClock('2020-06-01T12:00:00.000Z');
const jobs = exportJobs({ now: () => clock.now() });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commitments-export-slots-'));
  await seedCommitments(dir, 11, N);
  tracker = await openTracker({ dataDir: dir, clock, synchronous: 'OFF' });
  let pages = 0;
  const observed: OpenTracker = {
    ...tracker,
    async list(filter: ListFilter) {
      const page = await tracker.list(filter);
      pages += 1;
      onPage(pages);
      return page;
    },
  };
  const app = createApp({
    tracker: observed,
    config: { apiKeys: [], openMode: true },
    logger: createLogger({ level: 'silent' }),
    clock,
    exports: jobs,
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

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(parts).toString('utf8'),
          }),
        );
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

describe('one full export of each kind at a time', () => {
  it('refuses a second calendar with 429 while one streams, serves a CSV meanwhile', async () => {
    let during: Promise<[Answer, Answer]> | null = null;
    onPage = (n) => {
      if (n === 1 && during === null) {
        expect(jobs.running()).toEqual(['calendar']);
        during = Promise.all([get(`${base}/calendar.ics`), get(`${base}/commitments.csv`)]);
      }
    };
    const first = await get(`${base}/calendar.ics`);
    onPage = () => undefined;
    expect(first.status).toBe(200);
    expect(first.body.trimEnd().endsWith('END:VCALENDAR')).toBe(true);
    expect(during).not.toBeNull();
    const [second, csv] = await (during as unknown as Promise<[Answer, Answer]>);
    expect(second.status).toBe(429);
    expect(second.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(second.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(second.body)).toMatchObject({
      status: 429,
      detail: expect.stringContaining('calendar export is already running'),
    });
    expect(csv.status).toBe(200);
    expect(csv.body.split('\r\n').filter((l) => l !== '').length).toBe(N + 1);
    expect(jobs.running()).toEqual([]);
    const again = await get(`${base}/calendar.ics`);
    expect(again.status).toBe(200);
  });

  it('frees the slot when the client goes away mid-export', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = http.get(`${base}/commitments.csv`, { agent: false }, (res) => {
        expect(res.statusCode).toBe(200);
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code !== 'ECONNRESET') reject(err);
      });
    });
    // The export stops at its next page or write; wait for the slot by polling the job table
    // (bounded by the number of pages, not by time).
    for (let i = 0; i < 1000 && jobs.running().includes('csv'); i += 1) {
      await new Promise((r) => setImmediate(r));
    }
    expect(jobs.running()).toEqual([]);
    const next = await get(`${base}/commitments.csv`);
    expect(next.status).toBe(200);
  });
});
