/** GET /calendar.ics and GET /commitments.csv on the real app over a real tracker. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type express from 'express';
import request from 'supertest';
import { parse as parseCsv } from 'csv-parse/sync';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/domain/clock.js';
import { openTracker, type OpenTracker } from '../../src/bootstrap.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/http/logger.js';
import { loadConfig } from '../../src/config.js';

let dir: string;
let tracker: OpenTracker;
let app: express.Application;
const clock = fixedClock('2026-01-10T12:00:00.000Z');

const body = (id: string, parties: string[], title: string) => ({
  id,
  title,
  kind: 'meeting' as const,
  parties,
  statement: { quote: 'We "will" meet, soon.', madeAt: '2025-11-15' },
  source: { publisher: 'Test wire', publishedAt: '2025-11-15' },
  due: { text: 'in 2026' },
});

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commitments-export-http-'));
  tracker = await openTracker({ dataDir: dir, clock, synchronous: 'OFF' });
  await tracker.record(body('meet-kz', ['UZ', 'KZ'], 'Meet, in Astana'), { recordedBy: 'test' });
  await tracker.record(body('meet-fr', ['FR'], 'Meet in Paris'), { recordedBy: 'test' });
  app = createApp({
    tracker,
    config: loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dir }),
    logger: createLogger({ level: 'silent' }),
    clock,
  });
});

afterAll(async () => {
  await tracker.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('GET /calendar.ics and /commitments.csv handlers', () => {
  it('serves a calendar that ical.js parses, filtered by party', async () => {
    const all = await request(app).get('/calendar.ics').expect(200);
    expect(all.headers['content-type']).toMatch(/^text\/calendar; charset=utf-8/);
    const uids = (text: string) =>
      new ICAL.Component(ICAL.parse(text))
        .getAllSubcomponents('vevent')
        .map((c) => new ICAL.Event(c).uid)
        .sort();
    expect(uids(all.text)).toEqual([
      'meet-fr-deadline@commitments-tracker',
      'meet-fr-follow_up@commitments-tracker',
      'meet-kz-deadline@commitments-tracker',
      'meet-kz-follow_up@commitments-tracker',
    ]);
    const kz = await request(app).get('/calendar.ics?party=kz').expect(200);
    expect(uids(kz.text)).toEqual([
      'meet-kz-deadline@commitments-tracker',
      'meet-kz-follow_up@commitments-tracker',
    ]);
  });

  it('serves the CSV with proper quoting', async () => {
    const res = await request(app).get('/commitments.csv').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    const rows = parseCsv(res.text, { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => [r['id'], r['title'], r['quote'], r['parties']])).toEqual([
      ['meet-fr', 'Meet in Paris', 'We "will" meet, soon.', 'FR'],
      ['meet-kz', 'Meet, in Astana', 'We "will" meet, soon.', 'UZ;KZ'],
    ]);
  });

  it('answers a problem+json 400 naming the field for an unknown or repeated query parameter', async () => {
    const unknown = await request(app).get('/calendar.ics?colour=red').expect(400);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ path: 'colour' })]);
    const repeated = await request(app).get('/commitments.csv?party=a&party=b').expect(400);
    expect(repeated.body.errors).toEqual([expect.objectContaining({ path: 'party' })]);
  });

  it('filters the CSV by party too', async () => {
    const res = await request(app).get('/commitments.csv?party=FR').expect(200);
    const rows = parseCsv(res.text, { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r['id'])).toEqual(['meet-fr']);
  });
});
