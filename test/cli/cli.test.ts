/**
 * The `commitments` CLI, driven as a subprocess (`node dist/src/cli/main.js …`) on temp data dirs.
 * `npm test` builds first (pretest); a direct `npx vitest run test/cli` builds in beforeAll.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parse as parseCsv } from 'csv-parse/sync';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../src/export/csv.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const MAIN = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const EXAMPLE = path.join(ROOT, 'examples', 'uz-kz-2025-11-15.ndjson');

interface Fact {
  offset: number;
  text: string;
}
const FACTS = JSON.parse(
  fs.readFileSync(
    path.join(import.meta.dirname, 'fixtures', 'xinhua-2025-11-15-uz-kz.facts.json'),
    'utf8',
  ),
) as {
  article: string;
  publisher: string;
  publishedAt: string;
  dateline: Fact;
  quotes: Record<string, Fact>;
  figures: Record<string, Record<string, unknown>>;
};
/** The source article, outside the repository; COMMITMENTS_SHARED_DIR overrides ../shared. */
const SHARED_DIR = process.env['COMMITMENTS_SHARED_DIR'] || path.join(ROOT, '..', 'shared');
const ARTICLE_FILE = path.join(SHARED_DIR, FACTS.article);
const ARTICLE = fs.existsSync(ARTICLE_FILE) ? fs.readFileSync(ARTICLE_FILE, 'utf8') : null;
if (ARTICLE === null)
  console.log(
    `skipping the check of the kept facts against the article: ${ARTICLE_FILE} is absent (the demo data is still checked against test/cli/fixtures)`,
  );

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'commitments-cli-'));
  dirs.push(d);
  return d;
}

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): Run {
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    input: opts.input ?? '',
    timeout: 60_000,
    env: {
      ...process.env,
      NO_COLOR: '1',
      EVENTSTORE_URL: '',
      DATA_DIR: '',
      COMMITMENTS_MIGRATE_STOP_AFTER: '',
      ...opts.env,
    },
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function ok(args: string[], opts?: { env?: NodeJS.ProcessEnv; input?: string }): string {
  const r = cli(args, opts);
  if (r.status !== 0) throw new Error(`commitments ${args.join(' ')} → ${r.status}\n${r.stderr}`);
  return r.stdout;
}

const exportLog = (dir: string): string => ok(['export', '--format', 'ndjson', '--data-dir', dir]);

const body = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  title: 'A test commitment',
  kind: 'meeting',
  parties: ['UZ', 'KZ'],
  statement: { quote: 'We will meet.', madeAt: '2025-11-15' },
  source: { publisher: 'Test wire', publishedAt: '2025-11-15' },
  ...over,
});

function writeNdjson(dir: string, name: string, lines: unknown[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(
    file,
    lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n',
  );
  return file;
}

beforeAll(() => {
  if (process.env['npm_lifecycle_event'] !== 'test' || !fs.existsSync(MAIN)) {
    try {
      execFileSync(
        process.execPath,
        [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
        {
          cwd: ROOT,
          stdio: 'pipe',
        },
      );
    } catch {
      // Type errors elsewhere in the tree still emit JavaScript; the tests below tell whether it runs.
    }
  }
  expect(fs.existsSync(MAIN)).toBe(true);
}, 120_000);

afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('usage and exit codes', () => {
  it('exits 2 on an unknown command, a bad option value or a missing required option', () => {
    expect(cli(['frobnicate']).status).toBe(2);
    const d = tempDir();
    const bad = cli(['overdue', '--as-of', '2025-02-30', '--data-dir', d]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--as-of/);
    expect(cli(['export', '--data-dir', d]).status).toBe(2);
    expect(cli(['export', '--format', 'xml', '--data-dir', d]).status).toBe(2);
    expect(cli(['upcoming', '--within', 'soon', '--data-dir', d]).status).toBe(2);
  });

  it('exits 0 for --help', () => {
    const r = cli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/migrate/);
  });

  it('exits 3 with a one-line reason when EVENTSTORE_URL points at a closed port', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const d = tempDir();
    const r = cli(['overdue', '--data-dir', d], {
      env: { EVENTSTORE_URL: `esdb://127.0.0.1:${port}?tls=false&defaultDeadline=1000` },
    });
    expect(r.status).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/unavailable/i);
  });
});

describe('a data dir without a store', () => {
  const READS: string[][] = [
    ['overdue'],
    ['upcoming'],
    ['show', 'uz-kz-trade-10b'],
    ['export', '--format', 'ndjson'],
    ['replay'],
    ['verify'],
    ['rebuild'],
  ];
  const refusal = (dir: string): string =>
    `no store at ${path.resolve(dir)} (set DATA_DIR or --data-dir; a store is created by serve, record or import)\n`;

  it('read commands exit 3 with one line on a missing data dir, and create nothing', () => {
    const parent = tempDir();
    const missing = path.join(parent, 'typo-dir');
    for (const args of READS) {
      const r = cli([...args, '--data-dir', missing]);
      expect({ args, status: r.status, stderr: r.stderr, stdout: r.stdout }).toEqual({
        args,
        status: 3,
        stderr: refusal(missing),
        stdout: '',
      });
      expect(fs.existsSync(missing)).toBe(false);
    }
    // migrate creates its target only: a missing source is refused before the target is made.
    const target = path.join(parent, 'target');
    const m = cli(['migrate', '--to', target, '--data-dir', missing]);
    expect([m.status, m.stderr]).toEqual([3, refusal(missing)]);
    expect(fs.existsSync(target)).toBe(false);
    // DATA_DIR, and the ./data default in the working directory, are refused the same way.
    const viaEnv = cli(['verify'], { env: { DATA_DIR: missing } });
    expect([viaEnv.status, viaEnv.stderr]).toEqual([3, refusal(missing)]);
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env['DATA_DIR'];
    delete env['EVENTSTORE_URL'];
    const r = spawnSync(process.execPath, [MAIN, 'verify'], { cwd: parent, encoding: 'utf8', env });
    expect([r.status, r.stderr]).toEqual([3, refusal(path.join(parent, 'data'))]);
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  it('read commands exit 3 with one line on an empty data dir, and leave it empty', () => {
    const empty = tempDir();
    for (const args of READS) {
      const r = cli([...args, '--data-dir', empty]);
      expect({ args, status: r.status, stderr: r.stderr }).toEqual({
        args,
        status: 3,
        stderr: refusal(empty),
      });
      expect(fs.readdirSync(empty)).toEqual([]);
    }
  });

  it('record and import create the store, after which the read commands answer', () => {
    const parent = tempDir();
    const a = path.join(parent, 'new-a');
    ok(['record', '-', '--data-dir', a], { input: JSON.stringify(body()) });
    expect(fs.existsSync(path.join(a, 'commitments.db'))).toBe(true);
    const b = path.join(parent, 'new-b');
    ok(['import', EXAMPLE, '--data-dir', b]);
    expect(fs.existsSync(path.join(b, 'commitments.db'))).toBe(true);
    expect(ok(['verify', '--data-dir', b])).toMatch(/^OK: 7 events checked/);
  });
});

describe('record, show, overdue and upcoming', () => {
  it('records from stdin and shows the view, with history', () => {
    const d = tempDir();
    const rec = JSON.parse(
      ok(['record', '-', '--json', '--data-dir', d], {
        input: JSON.stringify(body({ id: 'test-meeting', due: { text: 'by March 2026' } })),
      }),
    ) as { id: string; revision: number; due: { latest: string } };
    expect(rec).toMatchObject({ id: 'test-meeting', revision: 1, due: { latest: '2026-03-31' } });
    const shown = JSON.parse(
      ok(['show', 'test-meeting', '--history', '--json', '--data-dir', d]),
    ) as {
      view: { id: string };
      events: Array<{ type: string; revision: number; hash: string }>;
    };
    expect(shown.view.id).toBe('test-meeting');
    expect(shown.events.map((e) => e.type)).toEqual(['CommitmentRecorded']);
    expect(shown.events[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
    const human = ok(['show', 'test-meeting', '--data-dir', d]);
    expect(human).toMatch(/title:\s+A test commitment/);
    expect(human.includes('\u001b[')).toBe(false); // no colour when stdout is not a TTY
    expect(cli(['show', 'no-such-thing', '--data-dir', d]).status).toBe(2);
  });

  it('rejects an invalid body with field paths and exit 2', () => {
    const d = tempDir();
    const r = cli(['record', '-', '--data-dir', d], {
      input: JSON.stringify(body({ kind: 'nope', colour: 'red' })),
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^kind: /m);
    expect(r.stderr).toMatch(/^colour: unknown field/m);
    // Nothing written: not even a store was created.
    expect(fs.readdirSync(d)).toEqual([]);
  });

  it('lists overdue and upcoming items of the demo data as JSON', () => {
    const d = tempDir();
    ok(['import', EXAMPLE, '--data-dir', d]);
    const overdue = JSON.parse(
      ok(['overdue', '--as-of', '2026-03-01', '--json', '--data-dir', d]),
    ) as {
      asOf: string;
      items: Array<{ commitmentId: string; item: string; date: string; daysOverdue: number }>;
    };
    expect(overdue.asOf).toBe('2026-03-01');
    // Every commitment's first follow-up is madeAt + P3M = 2026-02-15.
    expect(overdue.items).toHaveLength(5);
    for (const it of overdue.items)
      expect(it).toMatchObject({ item: 'follow_up', date: '2026-02-15', daysOverdue: 14 });

    const upcoming = JSON.parse(
      ok([
        'upcoming',
        '--as-of',
        '2026-12-01',
        '--within',
        'P60D',
        '--party',
        'KZ',
        '--json',
        '--data-dir',
        d,
      ]),
    ) as {
      asOf: string;
      until: string;
      items: Array<{ commitmentId: string; item: string; date: string; daysUntil: number }>;
    };
    expect(upcoming.until).toBe('2027-01-30');
    expect(upcoming.items).toEqual([
      expect.objectContaining({
        commitmentId: 'uz-kz-council-of-regional-heads',
        item: 'deadline',
        date: '2026-12-31',
        daysUntil: 30,
      }),
    ]);
    expect(
      JSON.parse(
        ok(['overdue', '--as-of', '2026-03-01', '--party', 'FR', '--json', '--data-dir', d]),
      ),
    ).toEqual({
      asOf: '2026-03-01',
      items: [],
      total: 0,
    });
    const table = ok(['overdue', '--as-of', '2026-03-01', '--data-dir', d]);
    expect(table.split('\n')[0]).toMatch(/^DATE\s+ITEM\s+DAYS OVERDUE\s+ID/);
  });

  it('overdue and upcoming take --limit and say how many more there are', () => {
    const d = tempDir();
    ok(['import', EXAMPLE, '--data-dir', d]);
    const r = cli(['overdue', '--as-of', '2026-03-01', '--limit', '2', '--json', '--data-dir', d]);
    expect(r.status).toBe(0);
    const page = JSON.parse(r.stdout) as { items: unknown[]; total: number };
    expect(page.items).toHaveLength(2);
    expect(page.total).toBe(5);
    expect(r.stderr).toMatch(/3 more not shown \(5 in all\)/);
    // Not a terminal and no --limit: every item, nothing said.
    const all = cli(['overdue', '--as-of', '2026-03-01', '--data-dir', d]);
    expect(all.stdout.trim().split('\n')).toHaveLength(6);
    expect(all.stderr).not.toMatch(/more not shown/);
    const up = cli([
      'upcoming',
      '--as-of',
      '2026-01-01',
      '--within',
      'P10Y',
      '--limit',
      '1',
      '--data-dir',
      d,
    ]);
    expect(up.status).toBe(0);
    expect(up.stdout.trim().split('\n')).toHaveLength(2);
    expect(up.stderr).toMatch(/more not shown/);
    expect(cli(['overdue', '--limit', '0', '--data-dir', d]).status).toBe(2);
  });
});

describe('the demo data', () => {
  it('records the five commitments of the Xinhua article, with Trend as second source of the deadline', () => {
    const d = tempDir();
    ok(['import', EXAMPLE, '--data-dir', d]);
    const trade = JSON.parse(
      ok(['show', 'uz-kz-trade-10b', '--history', '--json', '--data-dir', d]),
    ) as {
      view: {
        kind: string;
        due: { text: string; latest: string };
        metric: { baseline: { value: number }; target: number; unit: string };
        sources: Array<{ publisher: string }>;
      };
      events: Array<{ type: string; data: { source?: { publisher: string } } }>;
    };
    expect(trade.view.kind).toBe('target');
    expect(trade.view.metric).toMatchObject({
      baseline: { value: 4e9 },
      target: 1e10,
      unit: 'USD',
    });
    expect(trade.view.sources.map((s) => s.publisher)).toEqual(['Xinhua', 'Trend']);
    expect(trade.view.due).toMatchObject({ text: 'by 2030', latest: '2030-12-31' });
    expect(trade.events.map((e) => e.type)).toEqual([
      'CommitmentRecorded',
      'SourceAdded',
      'DeadlineRevised',
    ]);
    expect(trade.events[2]?.data.source?.publisher).toBe('Trend');

    const csv = parseCsv(ok(['export', '--format', 'csv', '--data-dir', d]), {
      columns: true,
      bom: true,
    }) as Array<Record<string, string>>;
    expect(csv.map((r) => [r['id'], r['kind']]).sort()).toEqual([
      ['uz-kz-council-of-regional-heads', 'meeting'],
      ['uz-kz-industrial-portfolio-8b', 'project'],
      ['uz-kz-interregional-contacts', 'other'],
      ['uz-kz-joint-investment-platform', 'proposal'],
      ['uz-kz-trade-10b', 'target'],
    ]);
    // The article's facts are kept in the repository (test/cli/fixtures); the article itself is not.
    for (const r of csv) {
      const id = r['id'] as string;
      expect(r['quote']).toBe(FACTS.quotes[id]?.text);
      expect(r['source_publisher']).toBe(FACTS.publisher);
      expect(r['made_at']).toBe(FACTS.publishedAt);
    }
    expect(trade.view.metric).toMatchObject(FACTS.figures['uz-kz-trade-10b'] ?? {});
  });

  it.skipIf(ARTICLE === null)(
    'the kept facts are those of the article itself (needs ../shared/sources)',
    () => {
      const article = ARTICLE as string;
      const at = (f: { offset: number; text: string }): string =>
        article.slice(f.offset, f.offset + f.text.length);
      expect(at(FACTS.dateline)).toBe(FACTS.dateline.text);
      for (const q of Object.values(FACTS.quotes)) {
        expect(at(q)).toBe(q.text);
        expect(article).toContain(q.text);
      }
      for (const line of fs.readFileSync(EXAMPLE, 'utf8').trim().split('\n')) {
        const entry = JSON.parse(line) as { statement?: { quote: string } };
        if (entry.statement) expect(article).toContain(entry.statement.quote);
      }
    },
  );
});

describe('export and import', () => {
  it('export then import into a new data dir gives an identical log, verify passes, and a second import adds nothing', () => {
    const a = tempDir();
    const b = tempDir();
    ok(['import', EXAMPLE, '--data-dir', a]);
    ok(['record', '-', '--data-dir', a], {
      input: JSON.stringify(body({ id: 'second-meeting', title: 'Another, "quoted"\nmeeting' })),
    });
    const file = path.join(a, 'log.ndjson');
    ok(['export', '--format', 'ndjson', '--out', file, '--data-dir', a]);
    const original = fs.readFileSync(file, 'utf8');
    expect(original.trim().split('\n')).toHaveLength(8);
    const first = JSON.parse(original.split('\n')[0] as string) as Record<string, unknown>;
    expect(Object.keys(first)).toEqual([
      'position',
      'stream',
      'revision',
      'id',
      'type',
      'data',
      'metadata',
      'hash',
    ]);

    const summary = JSON.parse(ok(['import', file, '--json', '--data-dir', b])) as Record<
      string,
      unknown
    >;
    expect(summary).toMatchObject({ format: 'events', imported: 8, present: 0, invalid: 0 });
    expect(exportLog(b)).toBe(original);
    expect(ok(['verify', '--data-dir', b])).toMatch(/^OK/);

    const again = JSON.parse(ok(['import', file, '--json', '--data-dir', b])) as Record<
      string,
      unknown
    >;
    expect(again).toMatchObject({ imported: 0, present: 8 });
    expect(exportLog(b)).toBe(original);
  });

  it('importing the same bodies twice adds nothing, ids without an id field are derived from the content', () => {
    const d = tempDir();
    const file = writeNdjson(d, 'bodies.ndjson', [
      body({ title: 'No id here' }),
      body({ id: 'with-an-id', title: 'With an id' }),
      {
        commitment: 'with-an-id',
        command: 'reviews',
        body: { reviewedAt: '2026-01-10', assessment: 'at_risk' },
      },
    ]);
    const first = JSON.parse(ok(['import', file, '--json', '--data-dir', d])) as Record<
      string,
      number
    >;
    expect(first).toMatchObject({ imported: 3, events: 3, present: 0 });
    const log = exportLog(d);
    const second = JSON.parse(ok(['import', file, '--json', '--data-dir', d])) as Record<
      string,
      number
    >;
    expect(second).toMatchObject({ imported: 0, present: 3 });
    expect(exportLog(d)).toBe(log);
    const other = tempDir();
    ok(['import', file, '--data-dir', other]);
    const ids = (dir: string) =>
      exportLog(dir)
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { stream: string; id: string }).stream);
    expect(ids(other)).toEqual(ids(d));
    expect(ids(d)[0]).toMatch(/^commitment-no-id-here-[0-9a-f]{8}$/);
  });

  it('a JSON array of bodies is accepted too', () => {
    const d = tempDir();
    const file = path.join(d, 'bodies.json');
    fs.writeFileSync(file, JSON.stringify([body({ id: 'array-one' }), body({ id: 'array-two' })]));
    expect(JSON.parse(ok(['import', file, '--json', '--data-dir', d]))).toMatchObject({
      imported: 2,
    });
  });

  it('a bad input file gives line-numbered errors, exit 2, and writes nothing', () => {
    const d = tempDir();
    const file = writeNdjson(d, 'bad.ndjson', [
      body({ id: 'good-one' }),
      body({ id: 'bad-one', kind: 'picnic', statement: { quote: 'x', madeAt: '2025-02-30' } }),
      'this is not json',
      '',
      body({ id: 'bad-due', due: { text: 'sometime soon' } }),
      { commitment: 'nobody-knows', command: 'progress', body: { asOf: '2026-01-01' } },
    ]);
    const r = cli(['import', file, '--data-dir', d]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^line 2: kind: /m);
    expect(r.stderr).toMatch(/^line 2: statement\.madeAt: must be a real calendar date/m);
    expect(r.stderr).toMatch(/^line 3: invalid JSON/m);
    expect(r.stderr).toMatch(/^line 5: due\.text: cannot interpret deadline/m);
    expect(r.stderr).toMatch(/^line 6: .*no commitment/m);
    expect(r.stderr).not.toMatch(/^line 1:/m);
    expect(exportLog(d)).toBe('');

    const skipped = cli(['import', file, '--skip-invalid', '--json', '--data-dir', d]);
    expect(skipped.status).toBe(0);
    expect(JSON.parse(skipped.stdout)).toMatchObject({ imported: 1, invalid: 4 });
    expect(skipped.stderr).toMatch(/^line 2: .*\(skipped\)$/m);
  });

  it('a tampered event export is refused at the altered line and nothing is written', () => {
    const a = tempDir();
    ok(['import', EXAMPLE, '--data-dir', a]);
    const lines = exportLog(a).trim().split('\n');
    lines[2] = (lines[2] as string).replace('by 2030', 'by 2031');
    const file = writeNdjson(a, 'tampered.ndjson', lines);
    const b = tempDir();
    const r = cli(['import', file, '--data-dir', b]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^line 3: hash: /m);
    expect(exportLog(b)).toBe('');
  });
});

describe('csv and ics', () => {
  it('CSV has a header and round-trips commas, quotes and newlines through a CSV parser', () => {
    const d = tempDir();
    const title = 'Talks, "frank" and\nlong';
    ok(['record', '-', '--data-dir', d], {
      input: JSON.stringify(
        body({
          id: 'quoted-one',
          title,
          parties: ['UZ', 'Asian Development Bank'],
          tags: ['a', 'b'],
          metric: {
            name: 'volume',
            unit: 'USD',
            target: 1000,
            baseline: { value: 10, asOf: '2025-01-01' },
          },
          due: { text: 'by 2030' },
        }),
      ),
    });
    const out = ok(['export', '--format', 'csv', '--data-dir', d]);
    expect(out.startsWith('\uFEFFid,')).toBe(true);
    expect(ok(['export', '--format', 'csv', '--no-bom', '--data-dir', d])).toBe(out.slice(1));
    const rows = parseCsv(out, { columns: false, bom: true }) as string[][];
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(2);
    const rec = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, (rows[1] as string[])[i]]));
    expect(rec).toMatchObject({
      id: 'quoted-one',
      title,
      parties: 'UZ;Asian Development Bank',
      tags: 'a;b',
      due_text: 'by 2030',
      due_latest: '2030-12-31',
      metric_baseline: '10',
      metric_target: '1000',
      quote: 'We will meet.',
      revision: '1',
    });
  });

  it('ICS is parsed by ical.js: one all-day VEVENT per deadline and follow-up, stable UIDs, none when closed', () => {
    const d = tempDir();
    const file = writeNdjson(d, 'cal.ndjson', [
      body({ id: 'cal-open', title: 'Open, with deadline', due: { text: 'by March 2026' } }),
      body({ id: 'cal-no-deadline', title: 'No deadline' }),
      body({ id: 'cal-closed', title: 'Closed one', due: { text: 'in 2026' } }),
      {
        commitment: 'cal-closed',
        command: 'outcome',
        body: { outcome: 'fulfilled', decidedAt: '2026-01-05' },
      },
    ]);
    ok(['import', file, '--data-dir', d]);
    const ics = ok(['export', '--format', 'ics', '--data-dir', d]);
    const cal = new ICAL.Component(ICAL.parse(ics));
    expect(cal.getFirstPropertyValue('version')).toBe('2.0');
    expect(cal.getFirstPropertyValue('prodid')).toMatch(/^-\/\/commitments-tracker/);
    const events = cal.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
    const byUid = Object.fromEntries(events.map((e) => [e.uid, e]));
    expect(Object.keys(byUid).sort()).toEqual([
      'cal-no-deadline-follow_up@commitments-tracker',
      'cal-open-deadline@commitments-tracker',
      'cal-open-follow_up@commitments-tracker',
    ]);
    const deadline = byUid['cal-open-deadline@commitments-tracker'] as ICAL.Event;
    expect(deadline.startDate.isDate).toBe(true);
    expect(deadline.startDate.toString()).toBe('2026-03-31');
    expect(deadline.endDate.toString()).toBe('2026-04-01');
    expect(deadline.summary).toBe('Deadline: Open, with deadline');
    expect(deadline.description).toMatch(/Status: open/);
    expect(deadline.description).toMatch(/We will meet\./);
    const follow = byUid['cal-open-follow_up@commitments-tracker'] as ICAL.Event;
    expect(follow.startDate.isDate).toBe(true);
    expect(follow.startDate.toString()).toBe('2026-02-15');
    expect(follow.summary).toBe('Follow up: Open, with deadline');

    // The same log gives the same calendar, byte for byte; a party filter narrows it.
    expect(ok(['export', '--format', 'ics', '--data-dir', d])).toBe(ics);
    const none = new ICAL.Component(
      ICAL.parse(ok(['export', '--format', 'ics', '--party', 'FR', '--data-dir', d])),
    );
    expect(none.getAllSubcomponents('vevent')).toHaveLength(0);
  });
});

describe('audit, rebuild, replay', () => {
  it('verify exits 1 after one byte of an event is changed in the events table', () => {
    const d = tempDir();
    ok(['import', EXAMPLE, '--data-dir', d]);
    expect(cli(['verify', '--data-dir', d]).status).toBe(0);
    const db = new Database(path.join(d, 'commitments.db'));
    const row = db.prepare('SELECT position, data FROM events WHERE position = 1').get() as {
      position: number;
      data: string;
    };
    const i = row.data.indexOf('10000000000');
    expect(i).toBeGreaterThan(0);
    const altered = `${row.data.slice(0, i)}2${row.data.slice(i + 1)}`; // one byte: 1 → 2
    db.prepare('UPDATE events SET data = ? WHERE position = 1').run(altered);
    db.close();
    const r = cli(['verify', '--json', '--data-dir', d]);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as {
      ok: boolean;
      chain: { ok: boolean; brokenAt: { stream: string; revision: number } };
    };
    expect(report.ok).toBe(false);
    expect(report.chain.ok).toBe(false);
    expect(report.chain.brokenAt).toMatchObject({
      stream: 'commitment-uz-kz-trade-10b',
      revision: 1,
    });
  });

  it('rebuild rebuilds the read model, and replay --known-at before any write shows nothing', () => {
    const d = tempDir();
    ok(['import', EXAMPLE, '--data-dir', d]);
    const before = ok(['export', '--format', 'csv', '--as-of', '2026-01-01', '--data-dir', d]);
    expect(JSON.parse(ok(['rebuild', '--json', '--data-dir', d]))).toMatchObject({
      events: 7,
      commitments: 5,
    });
    expect(ok(['export', '--format', 'csv', '--as-of', '2026-01-01', '--data-dir', d])).toBe(
      before,
    );
    expect(cli(['verify', '--data-dir', d]).status).toBe(0);

    const out = path.join(d, 'replay.json');
    ok([
      'replay',
      '--known-at',
      '2000-01-01T00:00:00Z',
      '--as-of',
      '2026-01-01',
      '--out',
      out,
      '--data-dir',
      d,
    ]);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toMatchObject({
      position: 0,
      commitments: [],
    });
    const text = ok(['replay', '--as-of', '2026-01-01', '--json', '--data-dir', d]);
    const now = JSON.parse(text) as { knownAt: string; commitments: Array<{ id: string }> };
    expect(now.commitments).toHaveLength(5);
    // Streamed, yet the bytes of the whole result printed at once (issue 18).
    expect(Object.keys(now)).toEqual(['knownAt', 'asOf', 'position', 'commitments']);
    expect(text).toBe(`${JSON.stringify(now, null, 2)}\n`);
    const file = path.join(d, 'replay-now.json');
    ok([
      'replay',
      '--as-of',
      '2026-01-01',
      '--known-at',
      now.knownAt,
      '--out',
      file,
      '--data-dir',
      d,
    ]);
    expect(fs.readFileSync(file, 'utf8')).toBe(JSON.stringify(now));
  });
});

describe('migrate', () => {
  it('copies the log into another data dir, resumes after being killed, and verify passes on the target', () => {
    const src = tempDir();
    ok(['import', EXAMPLE, '--data-dir', src]);
    ok(['record', '-', '--data-dir', src], { input: JSON.stringify(body({ id: 'late-one' })) });
    const log = exportLog(src);
    const target = path.join(tempDir(), 'target');

    const killed = cli(['migrate', '--to', target, '--data-dir', src], {
      env: { COMMITMENTS_MIGRATE_STOP_AFTER: '3' },
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(exportLog(target).trim().split('\n')).toHaveLength(3);

    const resumed = JSON.parse(
      ok(['migrate', '--to', target, '--json', '--data-dir', src]),
    ) as Record<string, unknown>;
    expect(resumed).toMatchObject({ targetKind: 'sqlite', events: 8, copied: 5, skipped: 3 });
    expect(exportLog(target)).toBe(log);
    expect(ok(['verify', '--data-dir', target])).toMatch(/^OK/);
    expect(JSON.parse(ok(['migrate', '--to', target, '--json', '--data-dir', src]))).toMatchObject({
      copied: 0,
      skipped: 8,
    });
    expect(cli(['migrate', '--to', src, '--data-dir', src]).status).toBe(2);
  });

  it('refuses a target that holds other events', () => {
    const src = tempDir();
    ok(['record', '-', '--data-dir', src], { input: JSON.stringify(body({ id: 'same-id' })) });
    const other = tempDir();
    ok(['record', '-', '--data-dir', other], {
      input: JSON.stringify(body({ id: 'same-id', title: 'Different' })),
    });
    const r = cli(['migrate', '--to', other, '--data-dir', src]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/another event at commitment-same-id revision 1/);
  });
});
