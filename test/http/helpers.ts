/** Shared setup for the HTTP tests: a real tracker on a temp DATA_DIR, a captured log, the app. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type express from 'express';
import { fixedClock } from '../../src/domain/clock.js';
import { openTracker, type OpenTracker } from '../../src/bootstrap.js';
import type { ApiKey } from '../../src/config.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/http/logger.js';

export type TestTracker = OpenTracker;

export async function openTestTracker(
  dataDir: string,
  clock: ReturnType<typeof fixedClock>,
): Promise<TestTracker> {
  return openTracker({ dataDir, clock, synchronous: 'NORMAL' });
}

export const KEYS: ApiKey[] = [
  { name: 'alice', role: 'recorder', secret: 'alice-secret-0123456789-abcdefghij' },
  { name: 'bob', role: 'reader', secret: 'bob-secret-9876543210-klmnopqrstuv' },
  { name: 'carol', role: 'auditor', secret: 'carol-secret-5647382910-wxyzabcdef' },
];

export interface Harness {
  app: express.Application;
  tracker: TestTracker;
  clock: ReturnType<typeof fixedClock>;
  dir: string;
  logs: string[];
  /** Close the tracker and open a new one (and app) on the same dir. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function harness(opts: { keys?: ApiKey[]; now?: string } = {}): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commitments-http-'));
  const clock = fixedClock(opts.now ?? '2026-01-10T12:00:00.000Z');
  const logs: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk: Buffer, _enc, cb) {
        logs.push(chunk.toString('utf8'));
        cb();
      },
    }),
  });
  const keys = opts.keys ?? [];
  const config = { apiKeys: keys, openMode: keys.length === 0 };
  const h: Harness = {
    app: undefined as unknown as express.Application,
    tracker: await openTestTracker(dir, clock),
    clock,
    dir,
    logs,
    async restart() {
      await h.tracker.close();
      h.tracker = await openTestTracker(dir, clock);
      h.app = createApp({ tracker: h.tracker, config, logger, clock });
    },
    async close() {
      await h.tracker.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  h.app = createApp({ tracker: h.tracker, config, logger, clock });
  return h;
}

/** The Uzbekistan–Kazakhstan trade target from issue 4. */
export function tradeBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'uz-kz-trade-10b',
    title: 'Raise Uzbekistan-Kazakhstan trade turnover to $10 billion',
    kind: 'target',
    parties: ['uz', 'KZ'],
    statement: {
      quote: 'The goal is to increase this figure to $10 billion',
      madeAt: '2025-11-15',
      madeBy: ['Shavkat Mirziyoyev'],
      language: 'en',
    },
    source: {
      publisher: 'Xinhua',
      title: 'Uzbekistan, Kazakhstan aim to raise trade to 10 bln USD',
      url: 'https://english.news.cn/20251115/example.html',
      publishedAt: '2025-11-15',
    },
    metric: {
      name: 'trade turnover',
      unit: 'USD',
      baseline: { value: 4000000000, asOf: '2025-11-15' },
      target: 10000000000,
    },
    due: { text: 'by 2030' },
    reviewEvery: 'P3M',
    tags: ['trade'],
    ...overrides,
  };
}

/** A commitment without a metric (the first Council of Regional Heads). */
export function councilBody(): Record<string, unknown> {
  return {
    id: 'uz-kz-council-regions-2026',
    title: 'Hold the first Council of Regional Heads in Kazakhstan',
    kind: 'meeting',
    parties: ['UZ', 'KZ'],
    statement: {
      quote:
        'the first meeting of the Council of Regional Heads will be held in Kazakhstan in 2026',
      madeAt: '2025-11-15',
    },
    source: { publisher: 'Xinhua', publishedAt: '2025-11-15' },
    due: { edtf: '2026' },
  };
}
