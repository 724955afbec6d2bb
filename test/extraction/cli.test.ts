/**
 * `commitments extract`, driven as a subprocess on a short text kept here, so it always runs.
 * A direct `npx vitest run test/extraction` builds in beforeAll.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordCommitmentBody } from '../../src/domain/index.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const MAIN = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');

/** A short made-up report: a dateline, two undertakings, a past fact and an emphasis. */
const TEXT = [
  'Tashkent, November 15 (Test Wire) — Uzbek President Shavkat Mirziyoyev and Kazakh President Kassym-Jomart Tokayev held talks.',
  'Trade has reached $4 billion. The goal is to increase this figure to $10 billion.',
  'The parties emphasized the importance of cooperation.',
  'An agreement was reached to hold the next business forum in Astana in 2026.',
].join('\n');

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'commitments-extract-'));
  dirs.push(d);
  return d;
}

function cli(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}) {
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    input: opts.input ?? '',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', EVENTSTORE_URL: '', DATA_DIR: '', ...opts.env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SOURCE = ['--publisher', 'Test Wire', '--published-at', '2025-11-15'];
let textFile = '';

beforeAll(() => {
  if (process.env['npm_lifecycle_event'] !== 'test' || !fs.existsSync(MAIN)) {
    execFileSync(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
      { cwd: ROOT, stdio: 'inherit' },
    );
  }
  textFile = path.join(tempDir(), 'report.txt');
  fs.writeFileSync(textFile, TEXT);
}, 120_000);

afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('commitments extract', () => {
  it('prints the candidates and the skipped sentences as a table', () => {
    const r = cli(['extract', textFile, ...SOURCE]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('statement date 2025-11-15');
    expect(r.stdout).toMatch(/1\s+target\s+UZ,KZ\s+10,000,000,000 USD from 4,000,000,000/);
    expect(r.stdout).toMatch(/2\s+meeting\s+UZ,KZ\s+2026-01-01\.\.2026-12-31/);
    expect(r.stdout).toContain('past fact: has reached $4 billion');
    expect(r.stdout).toContain('emphasis: emphasized the importance');
  });

  it('--json prints bodies, one a line, that import records', () => {
    const r = cli(['extract', '-', ...SOURCE, '--json'], { input: TEXT });
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(RecordCommitmentBody.safeParse(JSON.parse(l)).success).toBe(true);
    const dir = tempDir();
    const file = path.join(dir, 'candidates.ndjson');
    fs.writeFileSync(file, r.stdout);
    const imported = cli(['import', file, '--data-dir', dir]);
    expect(imported.status, imported.stderr).toBe(0);
    const list = cli(['export', '--format', 'ndjson', '--data-dir', dir]);
    expect(list.stdout.match(/"CommitmentRecorded"/g)).toHaveLength(2);
  });

  it('refuses bad flags naming them, exit 2, nothing written', () => {
    const dir = tempDir();
    const r = cli([
      'extract',
      textFile,
      '--publisher',
      'Test Wire',
      '--published-at',
      '2025-02-30',
      '--data-dir',
      dir,
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--published-at: must be a real calendar date');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('--review records what is accepted or edited, and nothing skipped', () => {
    const dir = tempDir();
    // Edit the first candidate's title with a non-interactive "editor", skip the second.
    const r = cli(['extract', textFile, ...SOURCE, '--review', '--data-dir', dir], {
      input: 'e\ns\n',
      env: { EDITOR: 'sed -i -e "s/Increase trade/Raise trade/"', VISUAL: '' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('[1/2]');
    expect(r.stdout).toContain('1 of 2 recorded');
    const log = cli(['export', '--format', 'ndjson', '--data-dir', dir]).stdout;
    expect(log.match(/"CommitmentRecorded"/g)).toHaveLength(1);
    expect(log).toContain('Raise trade to $10 billion');
  });

  it('--review refuses a text on stdin, which it needs for the answers', () => {
    const r = cli(['extract', '-', ...SOURCE, '--review'], { input: TEXT });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--review');
  });
});
