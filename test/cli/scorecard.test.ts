/**
 * `commitments scorecard` (issue 15) on a data dir holding the Rio 2024 G20 facts
 * (bench/templates.json), each assessment recorded on its report's date. Runs the CLI in process
 * (`run` from src/cli/main.ts) with a captured output, so it needs no build.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTracker } from '../../src/bootstrap.js';
import { fixedClock } from '../../src/domain/clock.js';
import { AssessPartyBody, RecordCommitmentBody } from '../../src/domain/commands.js';
import { formatAverage } from '../../src/cli/commands/scorecard.js';
import { run } from '../../src/cli/main.js';
import {
  assessBody,
  byCommitment,
  idOf,
  recordBody,
  reportsInOrder,
} from '../fixtures/rio-2024.js';

const ctx = { recordedBy: 'test' };
let dir = '';

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(['node', 'commitments', ...args, '--data-dir', dir], {
    env: { ...process.env, DATA_DIR: '', EVENTSTORE_URL: '' },
    clock: fixedClock('2025-12-01T12:00:00.000Z'),
    out: {
      write: (t) => {
        stdout += t;
      },
      error: (l) => {
        stderr += `${l}\n`;
      },
      colour: false,
      progressEnabled: false,
    },
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commitments-scorecard-'));
  const clock = fixedClock('2024-11-18T12:00:00.000Z');
  const tracker = await openTracker({ dataDir: dir, clock, synchronous: 'NORMAL' });
  try {
    for (const [key, members] of byCommitment) {
      clock.set(`${members[0]!.madeAt}T12:00:00.000Z`);
      await tracker.record(RecordCommitmentBody.parse(recordBody(key, members)), ctx);
    }
    for (const { key, m, h } of reportsInOrder(byCommitment)) {
      clock.set(`${h.at}T12:00:00.000Z`);
      await tracker.execute(idOf(key), 'AssessParty', AssessPartyBody.parse(assessBody(m, h)), ctx);
    }
  } finally {
    await tracker.close();
  }
}, 120_000);

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The cells of the row of `first` in a printed table. */
function rowOf(stdout: string, first: string): string[] {
  const line = stdout.split('\n').find((l) => l.split(/\s+/)[0] === first);
  if (line === undefined) throw new Error(`no row ${first} in\n${stdout}`);
  return line.trim().split(/\s{2,}/);
}

describe('commitments scorecard', () => {
  it('--tag g20-rio-2024 prints each member’s published average and each commitment’s', async () => {
    const r = await cli(['scorecard', '--tag', 'g20-rio-2024']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('scorecard for g20-rio-2024, reports published by 2025-12-01');
    expect(r.stdout.split('\n').find((l) => l.startsWith('PARTY'))).toMatch(
      /^PARTY\s+AVERAGE\s+SCORED\s+-1\s+0\s+\+1$/,
    );
    expect(rowOf(r.stdout, 'US')).toEqual(['US', '-0.46', '13', '8', '3', '2']);
    expect(rowOf(r.stdout, 'JP').slice(0, 3)).toEqual(['JP', '+0.77', '13']);
    expect(rowOf(r.stdout, 'European').join(' ')).toMatch(/^European Union \+0\.85 13 /);
    for (const [key, members] of byCommitment) {
      const finals = members.map((m) =>
        Number(m.statusHistory.find((h) => /final/i.test(h.report))!.publishedStatus),
      );
      const avg = finals.reduce((a, b) => a + b, 0) / finals.length;
      const cells = rowOf(r.stdout, idOf(key));
      expect(cells.slice(1, 3)).toEqual([formatAverage(avg), '11']);
      expect(cells.at(-1)).toBe(members[0]!.title);
    }
    expect(r.stdout).toMatch(/overall [+-]\d\.\d\d over 143 scores/);
  });

  it('--as-of before the final reports prints the interim table; --json is the API answer', async () => {
    const r = await cli(['scorecard', '--tag', 'g20-rio-2024', '--as-of', '2025-10-01', '--json']);
    expect(r.code).toBe(0);
    const card = JSON.parse(r.stdout) as {
      asOf: string;
      commitments: Array<{ id: string; average: number }>;
    };
    expect(card.asOf).toBe('2025-10-01');
    for (const [key, members] of byCommitment) {
      const interims = members.map((m) =>
        Number(m.statusHistory.find((h) => /interim/i.test(h.report))!.publishedStatus),
      );
      const avg = interims.reduce((a, b) => a + b, 0) / interims.length;
      expect(card.commitments.find((c) => c.id === idOf(key))?.average).toBeCloseTo(avg, 12);
    }
  });

  it('--party takes a country name and prints that party’s score on each commitment', async () => {
    const r = await cli(['scorecard', '--tag', 'g20-rio-2024', '--party', 'United States']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('US: -0.46 over 13 commitments');
    const rowsPrinted = r.stdout.split('\n').filter((l) => l.startsWith('rio-'));
    expect(rowsPrinted).toHaveLength(13);
    expect(rowsPrinted.every((l) => /\s(\+1\.00|-1\.00|0\.00)\s+final\s/.test(l))).toBe(true);
  });

  it('a bad --as-of is a usage error (exit 2), nothing printed on stdout', async () => {
    const r = await cli(['scorecard', '--as-of', '2025-02-30']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--as-of');
  });
});

describe('formatAverage', () => {
  it('prints two decimals with a sign, as reports do', () => {
    expect(formatAverage(-0.4615)).toBe('-0.46');
    expect(formatAverage(0.846)).toBe('+0.85');
    expect(formatAverage(0)).toBe('0.00');
    expect(formatAverage(-0.001)).toBe('0.00');
    expect(formatAverage(null)).toBe('-');
  });
});
