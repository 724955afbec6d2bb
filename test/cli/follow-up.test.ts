/**
 * Issue 14: the CLI's follow-up verbs (progress, review, outcome, withdraw, revise-deadline), list,
 * and record's --help and --template. Driven as a subprocess on temp data dirs, like cli.test.ts.
 * Each verb validates with the HTTP body schema: a bad value is reported as `field: message`,
 * exit 2, and nothing is written.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordCommitmentBody } from '../../src/domain/commands.js';
import { RECORD_FIELDS, RECORD_TEMPLATE } from '../../src/cli/commands/record-help.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const MAIN = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const dirs: string[] = [];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], opts: { dir?: string; input?: string } = {}): Run {
  const r = spawnSync(
    process.execPath,
    [MAIN, ...args, ...(opts.dir ? ['--data-dir', opts.dir] : [])],
    {
      cwd: ROOT,
      encoding: 'utf8',
      input: opts.input ?? '',
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: '1', EVENTSTORE_URL: '', DATA_DIR: '', USER: 'tester' },
    },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(args: string[], opts: { dir?: string; input?: string } = {}): string {
  const r = cli(args, opts);
  if (r.status !== 0) throw new Error(`commitments ${args.join(' ')} → ${r.status}\n${r.stderr}`);
  return r.stdout;
}

const ID = 'uz-kz-trade-10b';

function seeded(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'commitments-follow-up-'));
  dirs.push(d);
  ok(['record', '-'], { dir: d, input: JSON.stringify({ ...RECORD_TEMPLATE, id: ID }) });
  ok(['record', '-'], {
    dir: d,
    input: JSON.stringify({
      id: 'council-2026',
      title: 'Hold the first Council of Regional Heads',
      kind: 'meeting',
      parties: ['UZ', 'KZ'],
      statement: { quote: 'will be held in Kazakhstan in 2026', madeAt: '2025-11-15' },
      source: { publisher: 'Xinhua', publishedAt: '2025-11-15' },
      due: { text: 'in 2026' },
    }),
  });
  return d;
}

/** The commitment's events, as `show --history --json` gives them. */
function events(d: string, id = ID): Array<{ type: string; data: Record<string, unknown> }> {
  return (
    JSON.parse(ok(['show', id, '--history', '--json'], { dir: d })) as {
      events: Array<{ type: string; data: Record<string, unknown> }>;
    }
  ).events;
}

beforeAll(() => {
  if (process.env['npm_lifecycle_event'] !== 'test' || !fs.existsSync(MAIN)) {
    try {
      execFileSync(
        process.execPath,
        [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
        { cwd: ROOT, stdio: 'pipe' },
      );
    } catch {
      // Type errors elsewhere still emit JavaScript; the tests tell whether it runs.
    }
  }
  expect(fs.existsSync(MAIN)).toBe(true);
}, 120_000);

afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('follow-up verbs', () => {
  it('progress records the value, date, note and source; --json prints the view', () => {
    const d = seeded();
    const out = ok(
      [
        'progress',
        ID,
        '--value',
        '5200000000',
        '--as-of',
        '2026-03-31',
        '--note',
        'Q1 figures',
        '--source',
        'Kun.uz',
        '--source-url',
        'https://kun.uz/x',
        '--json',
      ],
      { dir: d },
    );
    const view = JSON.parse(out) as { metric: { latest: { value: number; asOf: string } } };
    expect(view.metric.latest).toEqual({ value: 5200000000, asOf: '2026-03-31' });
    expect(events(d).at(-1)).toMatchObject({
      type: 'ProgressReported',
      data: expect.objectContaining({
        asOf: '2026-03-31',
        value: 5200000000,
        note: 'Q1 figures',
        source: { publisher: 'Kun.uz', publishedAt: '2026-03-31', url: 'https://kun.uz/x' },
      }),
    });
  });

  it('progress with bad values names each field as the HTTP API does, exits 2 and writes nothing', () => {
    const d = seeded();
    const r = cli(['progress', ID, '--value', 'lots', '--source-url', 'ftp://x'], { dir: d });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^asOf: /m);
    expect(r.stderr).toMatch(/^value: .*number/m);
    expect(r.stderr).toMatch(/^source\.publisher: /m);
    expect(r.stderr).toMatch(/^source\.url: /m);
    expect(events(d)).toHaveLength(1);
  });

  it('review takes on_track, at_risk or stalled, dated today by default', () => {
    const d = seeded();
    const bad = cli(['review', ID, '--assessment', 'fine'], { dir: d });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^assessment: .*on_track/m);
    const view = JSON.parse(
      ok(['review', ID, '--assessment', 'at_risk', '--at', '2026-02-01', '--json'], { dir: d }),
    ) as { status: string; assessment: { value: string; at: string } };
    expect(view.assessment).toMatchObject({ value: 'at_risk', at: '2026-02-01' });
    expect(view.status).toBe('at_risk');
    ok(['review', ID, '--assessment', 'on_track'], { dir: d });
    const last = events(d).at(-1);
    expect(last?.type).toBe('ReviewRecorded');
    expect(last?.data['reviewedAt']).toBe(new Date().toISOString().slice(0, 10));
  });

  it('outcome records how it ended; a bad outcome is a field error', () => {
    const d = seeded();
    const bad = cli(['outcome', 'council-2026', '--outcome', 'done'], { dir: d });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^outcome: /m);
    const out = ok(
      ['outcome', 'council-2026', '--outcome', 'fulfilled', '--decided-at', '2026-05-20'],
      { dir: d },
    );
    expect(out).toMatch(/outcome recorded on council-2026 \(revision 2; status fulfilled\)/);
  });

  it('withdraw needs a reason; the view then says when and why', () => {
    const d = seeded();
    const bad = cli(['withdraw', ID], { dir: d });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^reason: /m);
    const view = JSON.parse(
      ok(
        [
          'withdraw',
          ID,
          '--reason',
          'Superseded by the 2027 roadmap',
          '--at',
          '2026-04-01',
          '--json',
        ],
        {
          dir: d,
        },
      ),
    ) as { status: string; withdrawal: unknown };
    expect(view.status).toBe('withdrawn');
    expect(view.withdrawal).toEqual({ at: '2026-04-01', reason: 'Superseded by the 2027 roadmap' });
    // Withdrawn is final: a later command is refused by the domain, exit 2.
    const after = cli(['progress', ID, '--as-of', '2026-05-01', '--note', 'x'], { dir: d });
    expect(after.status).toBe(2);
  });

  it('revise-deadline "by 2031" with a reason and a source moves the deadline', () => {
    const d = seeded();
    const bad = cli(['revise-deadline', ID, 'by 2031'], { dir: d });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^reason: /m);
    const view = JSON.parse(
      ok(
        [
          'revise-deadline',
          ID,
          'by 2031',
          '--reason',
          'Agreed at the summit',
          '--source',
          'Xinhua',
          '--source-date',
          '2026-01-02',
          '--json',
        ],
        { dir: d },
      ),
    ) as { due: { text: string; latest: string } };
    expect(view.due).toMatchObject({ text: 'by 2031', latest: '2031-12-31' });
    expect(events(d).at(-1)?.data['source']).toEqual({
      publisher: 'Xinhua',
      publishedAt: '2026-01-02',
    });
  });

  it('a verb on an unknown commitment exits 2 and says so', () => {
    const d = seeded();
    const r = cli(['progress', 'no-such-one', '--as-of', '2026-01-01', '--note', 'x'], { dir: d });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no-such-one/);
  });
});

describe('list', () => {
  it('filters by status and party, pages with --limit and says that more are not shown', () => {
    const d = seeded();
    ok(['outcome', 'council-2026', '--outcome', 'missed'], { dir: d });
    const all = JSON.parse(ok(['list', '--json'], { dir: d })) as { items: Array<{ id: string }> };
    expect(all.items.map((v) => v.id)).toEqual(['council-2026', ID]);
    const missed = JSON.parse(ok(['list', '--status', 'missed', '--json'], { dir: d })) as {
      items: Array<{ id: string }>;
    };
    expect(missed.items.map((v) => v.id)).toEqual(['council-2026']);
    expect(ok(['list', '--party', 'FR'], { dir: d })).toBe('no commitments\n');
    const one = cli(['list', '--limit', '1'], { dir: d });
    expect(one.status).toBe(0);
    expect(one.stdout.trim().split('\n')).toHaveLength(2); // header and one row
    expect(one.stderr).toMatch(/more not shown/);
  });

  it('list and export filter by the latest assessment; none: not reviewed yet', () => {
    const d = seeded();
    ok(['review', 'council-2026', '--assessment', 'at_risk', '--at', '2026-02-01'], { dir: d });
    const listed = (a: string): string[] =>
      (
        JSON.parse(ok(['list', '--assessment', a, '--json'], { dir: d })) as {
          items: Array<{ id: string }>;
        }
      ).items.map((v) => v.id);
    expect(listed('at_risk')).toEqual(['council-2026']);
    expect(listed('none')).toEqual([ID]);
    expect(listed('stalled')).toEqual([]);
    const csv = ok(['export', '--format', 'csv', '--assessment', 'at_risk', '--no-bom'], {
      dir: d,
    });
    const rows = csv.trim().split('\r\n');
    expect(rows).toHaveLength(2); // header and the council
    expect(rows[1]?.startsWith('council-2026,')).toBe(true);
    const bad = cli(['list', '--assessment', 'doomed'], { dir: d });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^--assessment: /m);
    const badExport = cli(['export', '--format', 'csv', '--assessment', 'doomed'], { dir: d });
    expect(badExport.status).toBe(2);
    expect(badExport.stderr).toMatch(
      /--assessment: must be one of on_track, at_risk, stalled, none/,
    );
  });

  it('refuses a bad filter, naming the option', () => {
    const d = seeded();
    const r = cli(['list', '--status', 'late', '--limit', '0'], { dir: d });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^--status: /m);
    expect(r.stderr).toMatch(/^--limit: /m);
  });
});

describe('list --overdue and summary', () => {
  it('list --overdue lists exactly the commitments that overdue lists, and says how many there are', () => {
    const d = seeded();
    // Both follow-ups fall on 2026-02-15; a review of the council on 2026-02-20 moves its own
    // to 2026-05-20, so at 2026-03-01 only the trade target is overdue, at 2026-01-01 neither.
    const overdueIds = (asOf: string): string[] =>
      [
        ...new Set(
          (
            JSON.parse(ok(['overdue', '--as-of', asOf, '--json'], { dir: d })) as {
              items: Array<{ commitmentId: string }>;
            }
          ).items.map((i) => i.commitmentId),
        ),
      ].sort();
    const listed = (asOf: string): { ids: string[]; total: number } => {
      const r = JSON.parse(ok(['list', '--overdue', '--as-of', asOf, '--json'], { dir: d })) as {
        items: Array<{ id: string }>;
        total: number;
      };
      return { ids: r.items.map((v) => v.id).sort(), total: r.total };
    };
    ok(['review', 'council-2026', '--assessment', 'on_track', '--at', '2026-02-20'], { dir: d });
    for (const asOf of ['2026-01-01', '2026-03-01', '2031-01-01']) {
      const l = listed(asOf);
      expect(l.ids).toEqual(overdueIds(asOf));
      expect(l.total).toBe(l.ids.length);
    }
    expect(listed('2026-03-01').ids).toEqual([ID]);
    expect(listed('2026-01-01').ids).toEqual([]);
  });

  it('summary counts by status and kind, overdue and per party, as GET /summary does', () => {
    const d = seeded();
    ok(['outcome', 'council-2026', '--outcome', 'fulfilled', '--decided-at', '2026-01-05'], {
      dir: d,
    });
    const s = JSON.parse(ok(['summary', '--as-of', '2026-03-01', '--json'], { dir: d })) as {
      total: number;
      byStatus: Record<string, number>;
      byKind: Record<string, number>;
      overdue: { commitments: number; items: number };
      byParty: Array<{ party: string; total: number }>;
    };
    expect(s.total).toBe(2);
    expect(s.byStatus).toMatchObject({ open: 1, fulfilled: 1 });
    expect(s.byKind).toMatchObject({ target: 1, meeting: 1 });
    expect(s.overdue).toEqual({ commitments: 1, items: 1 });
    expect(s.byParty.map((p) => [p.party, p.total]).sort()).toEqual([
      ['KZ', 2],
      ['UZ', 2],
    ]);
    const text = ok(['summary', '--as-of', '2026-03-01'], { dir: d });
    expect(text).toMatch(/commitments:\s+2/);
    expect(text).toMatch(/overdue:\s+1 commitments, 1 items/);
    expect(text).toMatch(/^KZ\s+2\s+1/m);
  });
});

describe('record --help and --template', () => {
  it('the help lists every field of the body, and an example', () => {
    expect(RECORD_FIELDS.map(([f]) => f).sort()).toEqual(
      Object.keys(RecordCommitmentBody.shape).sort(),
    );
    const help = ok(['record', '--help']);
    for (const [field] of RECORD_FIELDS)
      expect(help).toMatch(new RegExp(`^  ${field} +(required|optional)`, 'm'));
    expect(help).toMatch(/Example:/);
    expect(help).toMatch(/record --template/);
  });

  it('the template is a body that records as it is', () => {
    const template = ok(['record', '--template']);
    expect(RecordCommitmentBody.safeParse(JSON.parse(template)).success).toBe(true);
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'commitments-template-'));
    dirs.push(d);
    expect(ok(['record', '-'], { dir: d, input: template })).toMatch(/^recorded /);
    expect(cli(['record'], { dir: d }).status).toBe(2);
  });
});
