/**
 * `commitments extract FILE|- --publisher … --published-at … [--json] [--review]`: candidate
 * commitments from a statement or report (docs/extraction.md). Prints a table of the candidates
 * and the skipped sentences; `--json` prints the candidates' bodies as NDJSON, ready for
 * `commitments import`; `--review` walks through them on the terminal: accept (record), edit the
 * body in $EDITOR then record, skip, or quit. Nothing is recorded without an accept.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { Command } from 'commander';
import { RecordCommitmentBody } from '../../domain/commands.js';
import { extract } from '../../extraction/extract.js';
import {
  ExtractionRequest,
  type Candidate,
  type ExtractionResult,
} from '../../extraction/types.js';
import { fieldErrors } from '../../shared/field-errors.js';
import {
  EXIT,
  UsageError,
  cliUser,
  common,
  readInput,
  withTracker,
  type CommandContext,
  type CommonOptions,
} from '../context.js';
import { paint, table, type Out } from '../output.js';

interface ExtractOptions extends CommonOptions {
  publisher: string;
  publishedAt: string;
  title?: string;
  url?: string;
  statementDate?: string;
  review?: boolean;
}

/** Flag names for the request fields, so a refusal names what the user typed. */
const FLAG_OF: Record<string, string> = {
  text: 'FILE',
  'source.publisher': '--publisher',
  'source.publishedAt': '--published-at',
  'source.title': '--title',
  'source.url': '--url',
  statementDate: '--statement-date',
};

export function registerExtract(program: Command, ctx: CommandContext): void {
  const { out } = ctx;
  common(
    program
      .command('extract')
      .argument('<file>', 'the text of the statement or report (UTF-8), or - for stdin')
      .description('propose candidate commitments from a text, for a person to accept')
      .requiredOption('--publisher <name>', 'who published the text')
      .requiredOption('--published-at <date>', 'the day it was published, YYYY-MM-DD')
      .option('--title <title>', "the source's title")
      .option('--url <url>', "the source's address")
      .option('--statement-date <date>', 'the day the statement was made (else the dateline)')
      .option('--review', 'walk through the candidates: accept, edit in $EDITOR, skip'),
  ).action(async (file: string, o: ExtractOptions) => {
    if (o.review && file === '-') {
      throw new UsageError('--review reads your answers from stdin: give the text as a FILE');
    }
    const raw = {
      text: readInput(file),
      source: {
        publisher: o.publisher,
        publishedAt: o.publishedAt,
        ...(o.title !== undefined ? { title: o.title } : {}),
        ...(o.url !== undefined ? { url: o.url } : {}),
      },
      ...(o.statementDate !== undefined ? { statementDate: o.statementDate } : {}),
    };
    const parsed = ExtractionRequest.safeParse(raw);
    if (!parsed.success) {
      for (const f of fieldErrors(parsed.error.issues, raw))
        out.error(`${FLAG_OF[f.path] ?? f.path}: ${f.message}`);
      ctx.setExit(EXIT.usage);
      return;
    }
    const result = extract(parsed.data);
    if (o.review) {
      await review(ctx, o, result);
    } else if (o.json) {
      out.write(result.candidates.map((c) => `${JSON.stringify(c.body)}\n`).join(''));
    } else {
      out.write(render(out, result));
    }
  });
}

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function dueText(c: Candidate): string {
  if (!c.due) return '';
  if (c.due.vague) return `${c.due.text} (vague)`;
  return c.due.earliest ? `${c.due.earliest}..${c.due.latest}` : `by ${c.due.latest}`;
}

function metricText(c: Candidate): string {
  if (!c.metric) return '';
  const base = c.metric.baseline ? ` from ${c.metric.baseline.value.toLocaleString('en')}` : '';
  return `${c.metric.target.toLocaleString('en')} ${c.metric.unit}${base}`;
}

export function render(out: Out, r: ExtractionResult): string {
  const rows = r.candidates.map((c, i) => ({ c, n: i + 1 }));
  const lines: string[] = [`statement date ${r.statementDate}\n`];
  if (rows.length === 0) lines.push('no candidate commitments\n');
  else
    lines.push(
      table(
        out,
        [
          { header: '#', value: (x) => String(x.n), right: true },
          { header: 'KIND', value: (x) => x.c.kind },
          { header: 'PARTIES', value: (x) => x.c.parties.join(',') },
          { header: 'DUE', value: (x) => dueText(x.c) },
          { header: 'METRIC', value: (x) => metricText(x.c) },
          {
            header: 'CONF',
            value: (x) => x.c.confidence.toFixed(2),
            right: true,
            style: (x) => (x.c.confidence < 0.5 ? 'dim' : undefined),
          },
          { header: 'QUOTE', value: (x) => clip(x.c.quote, 70) },
        ],
        rows,
      ),
    );
  if (r.skipped.length > 0) {
    lines.push(`\n${paint(out, 'bold', 'skipped')}\n`);
    for (const s of r.skipped) lines.push(`  ${clip(s.reason, 60)} — ${clip(s.quote, 60)}\n`);
  }
  return lines.join('');
}

function describe(out: Out, c: Candidate, n: number, total: number): string {
  const rows: Array<[string, string]> = [
    ['kind', c.kind],
    ['parties', c.parties.join(', ')],
    ...(c.madeBy ? [['made by', c.madeBy.join(', ')] as [string, string]] : []),
    ...(c.metric ? [['metric', `${c.metric.name}: ${metricText(c)}`] as [string, string]] : []),
    ...(c.due ? [['due', `${c.due.text} → ${dueText(c)}`] as [string, string]] : []),
    ['confidence', c.confidence.toFixed(2)],
    ['reasons', c.reasons.join('; ')],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return [
    `\n${paint(out, 'bold', `[${n}/${total}] ${c.title}`)}\n`,
    `  “${c.quote}”\n`,
    ...rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}\n`),
  ].join('');
}

/** Let the user edit a body in $VISUAL (else $EDITOR, else vi); `error` when the editor failed or left invalid JSON. */
function editBody(ctx: CommandContext, body: unknown): { value: unknown } | { error: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commitments-extract-'));
  const file = path.join(dir, 'candidate.json');
  try {
    fs.writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
    const editor = ctx.env['VISUAL'] || ctx.env['EDITOR'] || 'vi';
    const r = spawnSync(`${editor} "${file}"`, { shell: true, stdio: 'inherit', env: ctx.env });
    if (r.status !== 0)
      return { error: `the editor (${editor}) exited with ${r.status ?? r.signal}` };
    try {
      return { value: JSON.parse(fs.readFileSync(file, 'utf8')) as unknown };
    } catch (err) {
      return { error: `invalid JSON: ${(err as Error).message}` };
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function review(
  ctx: CommandContext,
  o: ExtractOptions,
  result: ExtractionResult,
): Promise<void> {
  const { out } = ctx;
  if (result.candidates.length === 0) {
    out.write('no candidate commitments\n');
    return;
  }
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (prompt: string): Promise<string> => {
    out.write(prompt);
    const next = await lines.next();
    return next.done ? 'q' : String(next.value).trim().toLowerCase();
  };
  let recorded = 0;
  try {
    await withTracker(ctx, o, { create: true }, async (tracker) => {
      const total = result.candidates.length;
      for (const [i, c] of result.candidates.entries()) {
        out.write(describe(out, c, i + 1, total));
        let body: unknown = c.body;
        for (;;) {
          const answer = await ask('  [a]ccept, [e]dit, [s]kip, [q]uit? ');
          if (answer === 'q') return;
          if (answer === 's') break;
          if (answer === 'e') {
            const edited = editBody(ctx, body);
            if ('error' in edited) {
              out.error(`  ${edited.error}`);
              continue;
            }
            body = edited.value;
          }
          if (answer === 'a' || answer === 'e') {
            const parsed = RecordCommitmentBody.safeParse(body);
            if (!parsed.success) {
              for (const f of fieldErrors(parsed.error.issues, body))
                out.error(`  ${f.path ? `${f.path}: ` : ''}${f.message}`);
              continue;
            }
            const r = await tracker.record(parsed.data, { recordedBy: cliUser(ctx.env) });
            out.write(`  recorded ${paint(out, 'bold', r.view.id)}\n`);
            recorded += 1;
            break;
          }
        }
      }
    });
  } finally {
    rl.close();
  }
  out.write(`${recorded} of ${result.candidates.length} recorded\n`);
}
