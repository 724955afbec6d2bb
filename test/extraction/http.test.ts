/**
 * `POST /extractions` (issue 17): candidates whose bodies `POST /commitments` accepts as they are;
 * nothing written by the extraction itself; a 400 problem naming the field for bad input.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExtractionResponse } from '../../src/extraction/types.js';
import { ProblemSchema } from '../../src/http/schemas.js';
import { sourcesDir } from '../../bench/eval-extraction.js';
import { harness, type Harness } from '../http/helpers.js';

const XINHUA = resolve(sourcesDir(), 'xinhua-2025-11-15-uz-kz.txt');
const present = existsSync(XINHUA);
if (!present) console.warn(`skipping POST /extractions on the Xinhua report: ${XINHUA} is absent`);

/** A short made-up report kept here, so this part always runs. */
const TEXT = [
  'Tashkent, November 15 (Test Wire) — Uzbek President Shavkat Mirziyoyev and Kazakh President Kassym-Jomart Tokayev held talks.',
  'Trade has reached $4 billion. The goal is to increase this figure to $10 billion.',
  'The parties emphasized the importance of cooperation.',
  'An agreement was reached to hold the next business forum in Astana in 2026, and the sides will open a joint trade house soon.',
].join('\n');
const SOURCE = { publisher: 'Test Wire', publishedAt: '2025-11-15' };

let h: Harness;
beforeEach(async () => {
  h = await harness({ now: '2025-12-01T12:00:00.000Z' });
});
afterEach(async () => {
  await h.close();
});

async function eventCount(): Promise<number> {
  const res = await request(h.app).get('/events?limit=500');
  expect(res.status).toBe(200);
  return (res.body as { events: unknown[] }).events.length;
}

async function acceptAll(candidates: Array<{ body: unknown }>): Promise<string[]> {
  const ids: string[] = [];
  for (const c of candidates) {
    const res = await request(h.app)
      .post('/commitments')
      .send(c.body as object);
    expect(res.status, res.text).toBe(201);
    ids.push((res.body as { id: string }).id);
  }
  return ids;
}

describe('POST /extractions', () => {
  it('returns candidates and skipped sentences, writes nothing, and each body records with 201', async () => {
    const res = await request(h.app).post('/extractions').send({ text: TEXT, source: SOURCE });
    expect(res.status, res.text).toBe(200);
    const result = ExtractionResponse.parse(res.body);
    expect(result.statementDate).toBe('2025-11-15');
    expect(result.candidates.map((c) => c.kind)).toEqual(['target', 'meeting', 'other']);
    for (const c of result.candidates) expect(TEXT.slice(c.start, c.end)).toBe(c.quote);
    expect(result.candidates[0]?.metric?.baseline?.value).toBe(4e9);
    expect(result.candidates[2]?.body.due).toEqual({ text: 'soon', vague: true });
    expect(result.skipped.map((s) => s.reason)).toEqual([
      'past fact: has reached $4 billion',
      'emphasis: emphasized the importance',
    ]);
    expect(await eventCount()).toBe(0);

    const ids = await acceptAll(result.candidates);
    expect(ids).toHaveLength(3);
    const view = await request(h.app).get(`/commitments/${ids[1]}`);
    expect(view.body).toMatchObject({ kind: 'meeting', parties: ['UZ', 'KZ'] });
  });

  it('takes the statement date from the request over the dateline', async () => {
    const res = await request(h.app)
      .post('/extractions')
      .send({ text: TEXT, source: SOURCE, statementDate: '2025-11-14', language: 'en' });
    expect(res.status).toBe(200);
    expect(res.body.statementDate).toBe('2025-11-14');
  });

  it.each([
    [{ source: SOURCE }, 'text'],
    [{ text: '   ', source: SOURCE }, 'text'],
    [{ text: TEXT, source: { publisher: 'Test Wire' } }, 'source.publishedAt'],
    [{ text: TEXT, source: { ...SOURCE, publishedAt: '2025-02-30' } }, 'source.publishedAt'],
    [{ text: TEXT, source: SOURCE, statementDate: 'yesterday' }, 'statementDate'],
    [{ text: TEXT, source: SOURCE, language: 'ru' }, 'language'],
    [{ text: TEXT, source: SOURCE, colour: 'red' }, 'colour'],
    [{ text: 'x'.repeat(200_001), source: SOURCE }, 'text'],
  ])('bad input %# is a 400 problem naming %s, nothing written', async (body, path) => {
    const res = await request(h.app).post('/extractions').send(body);
    expect(res.status, res.text).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const p = ProblemSchema.parse(JSON.parse(res.text));
    expect(p.errors?.map((e) => e.path)).toContain(path);
    expect(await eventCount()).toBe(0);
  });

  it('is in the OpenAPI document', async () => {
    const res = await request(h.app).get('/openapi.json');
    const doc = res.body as { paths: Record<string, Record<string, { operationId: string }>> };
    expect(doc.paths['/extractions']?.post?.operationId).toBe('extractCommitments');
  });
});

describe.skipIf(!present)('POST /extractions on the Xinhua report (issue 17, done when)', () => {
  it('finds the five demo commitments, skips the past facts, and POST /commitments takes every body', async () => {
    const text = readFileSync(XINHUA, 'utf8');
    const res = await request(h.app)
      .post('/extractions')
      .send({ text, source: { publisher: 'Xinhua', publishedAt: '2025-11-15' } });
    expect(res.status, res.text).toBe(200);
    const result = ExtractionResponse.parse(res.body);
    expect(result.candidates.map((c) => c.kind)).toEqual([
      'target',
      'project',
      'proposal',
      'other',
      'meeting',
    ]);
    const trade = result.candidates[0];
    expect(trade?.metric).toMatchObject({
      target: 1e10,
      baseline: { value: 4e9, asOf: '2025-11-15' },
    });
    expect(result.candidates[4]?.due).toMatchObject({ text: 'in 2026', latest: '2026-12-31' });
    const reasons = result.skipped.map((s) => s.reason);
    expect(reasons).toContain('past fact: 6,500 joint ventures have been established');
    expect(reasons.some((r) => r.startsWith('past fact:') && r.includes('40 flights'))).toBe(true);
    expect(await eventCount()).toBe(0);
    const ids = await acceptAll(result.candidates);
    expect(new Set(ids).size).toBe(5);
  });
});
