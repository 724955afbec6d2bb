/**
 * The `commitments` command line (commander 14). It works on DATA_DIR (or --data-dir) or on
 * EVENTSTORE_URL directly, with the same settings as the server.
 *
 * Exit codes: 0 ok; 1 the audit found a problem (or an unexpected failure); 2 usage error
 * (arguments, invalid input, a domain rule); 3 the store is unavailable.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';

import { systemClock } from '../clock.js';
import type { Clock } from '../domain/clock.js';
import { utcDate } from '../domain/clock.js';
import { RecordCommitmentBody } from '../domain/commands.js';
import {
  DomainError,
  InvalidInputError,
  NotFoundError,
  PreconditionFailedError,
} from '../domain/errors.js';
import { untilDate } from '../../projections/agenda.js';
import type { CommitmentView } from '../../projections/types.js';
import type { OverdueItem, UpcomingItem, VerifyReport } from '../app/types.js';
import { fieldErrors } from '../http/problem.js';
import { createLogger } from '../http/logger.js';
import { startServer } from '../http/server.js';
import { rebuild } from '../read-model/sqlite-read-model.js';
import { replayKnownAt } from '../read-model/audit.js';
import {
  ChainMismatchError,
  DuplicateEventError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '../store/errors.js';
import type { StoredEvent } from '../store/port.js';
import { allViews, historyEntry, renderCsv, renderIcs, toNdjsonLine } from '../export/index.js';
import {
  EXIT,
  NoStoreError,
  UsageError,
  cliConfig,
  cliUser,
  openCliTracker,
  parseAsOf,
  parseKnownAt,
  parseWithin,
  readInput,
  type CommonOptions,
} from './context.js';
import { applyImport, formatLineError, planImport } from './import.js';
import { migrate, openTarget } from './migrate.js';
import { createOut, keyValues, paint, progress, table, type Out, type Style } from './output.js';

export interface CliEnv {
  env: NodeJS.ProcessEnv;
  clock: Clock;
  out: Out;
}

/** Set when `serve` is running: the process must stay up after `run` returns. */
let serving = false;

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Write to --out (atomically: a temp file, then rename) or stdout. */
function emit(out: Out, text: string, file: string | undefined): void {
  if (file === undefined || file === '-') {
    out.write(text);
    return;
  }
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new UsageError(
      `cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

function common(cmd: Command): Command {
  return cmd
    .option('--json', 'machine-readable JSON output')
    .option('--data-dir <dir>', 'data directory (default: $DATA_DIR, else ./data)');
}

const statusStyle = (s: string): Style | undefined =>
  s === 'overdue' || s === 'missed' || s === 'stalled'
    ? 'red'
    : s === 'due_soon' || s === 'partially_fulfilled'
      ? 'yellow'
      : s === 'fulfilled' || s === 'on_schedule'
        ? 'green'
        : undefined;

function viewsTable(out: Out, views: readonly CommitmentView[]): string {
  if (views.length === 0) return 'no commitments\n';
  return table<CommitmentView>(
    out,
    [
      { header: 'ID', value: (v) => v.id },
      { header: 'STATUS', value: (v) => v.status, style: (v) => statusStyle(v.status) },
      { header: 'TIMING', value: (v) => v.timing, style: (v) => statusStyle(v.timing) },
      { header: 'DUE', value: (v) => v.due?.latest ?? '-' },
      { header: 'FOLLOW UP', value: (v) => v.nextFollowUp ?? '-' },
      { header: 'PARTIES', value: (v) => v.parties.join(',') },
      { header: 'TITLE', value: (v) => v.title },
    ],
    views,
  );
}

function showView(out: Out, v: CommitmentView): string {
  const pairs: Array<[string, string]> = [
    ['id', paint(out, 'bold', v.id)],
    ['title', v.title],
    ['kind', v.kind],
    ['parties', v.parties.join(', ')],
    ['status', paint(out, statusStyle(v.status) ?? 'bold', v.status)],
    ['timing', paint(out, statusStyle(v.timing) ?? 'bold', v.timing)],
    [
      'due',
      v.due
        ? `${v.due.text ?? v.due.edtf} (${v.due.earliest ? `${v.due.earliest} – ${v.due.latest}` : `at the latest ${v.due.latest}`})`
        : '-',
    ],
    ['next follow-up', v.nextFollowUp ?? '-'],
  ];
  if (v.metric) {
    const m = v.metric;
    pairs.push([
      'metric',
      `${m.name}: ${m.baseline ? `${m.baseline.value} (${m.baseline.asOf})` : '?'} → ${m.target} ${m.unit}` +
        (m.latest ? `; latest ${m.latest.value} (${m.latest.asOf})` : '') +
        (m.progress !== null ? `; progress ${(m.progress * 100).toFixed(1)}%` : ''),
    ]);
  }
  if (v.outcome)
    pairs.push([
      'outcome',
      `${v.outcome.outcome} (${v.outcome.decidedAt})${v.outcome.note ? `: ${v.outcome.note}` : ''}`,
    ]);
  if (v.supersededBy) pairs.push(['superseded by', v.supersededBy]);
  if (v.tags.length) pairs.push(['tags', v.tags.join(', ')]);
  pairs.push([
    'quote',
    `"${v.statement.quote}" (${v.statement.madeAt}${v.statement.madeBy?.length ? `, ${v.statement.madeBy.join(', ')}` : ''})`,
  ]);
  v.sources.forEach((s, i) =>
    pairs.push([
      i === 0 ? 'sources' : '',
      `${s.publisher}, ${s.publishedAt}${s.title ? `: ${s.title}` : ''}${s.url ? ` <${s.url}>` : ''}`,
    ]),
  );
  pairs.push(
    ['revision', String(v.revision)],
    ['recorded', v.recordedAt],
    ['updated', v.updatedAt],
  );
  return keyValues(out, pairs);
}

function agendaTable(
  out: Out,
  items: ReadonlyArray<OverdueItem | UpcomingItem>,
  days: 'daysOverdue' | 'daysUntil',
): string {
  if (items.length === 0)
    return days === 'daysOverdue' ? 'nothing overdue\n' : 'nothing upcoming\n';
  return table<OverdueItem | UpcomingItem>(
    out,
    [
      { header: 'DATE', value: (i) => i.date },
      {
        header: 'ITEM',
        value: (i) => i.item,
        style: (i) => (i.item === 'deadline' ? 'bold' : undefined),
      },
      {
        header: days === 'daysOverdue' ? 'DAYS OVERDUE' : 'IN DAYS',
        value: (i) => String((i as unknown as Record<string, number>)[days]),
        right: true,
        style: () => (days === 'daysOverdue' ? 'red' : undefined),
      },
      { header: 'ID', value: (i) => i.commitmentId },
      { header: 'PARTIES', value: (i) => i.parties.join(',') },
      { header: 'TITLE', value: (i) => i.title },
    ],
    items,
  );
}

function verifyText(out: Out, r: VerifyReport): string {
  const lines = [
    `${r.ok ? paint(out, 'green', 'OK') : paint(out, 'red', 'PROBLEM')}: ${r.events} events checked`,
    `hash chain: ${r.chain.ok ? 'intact' : paint(out, 'red', `broken at ${r.chain.brokenAt?.stream} revision ${r.chain.brokenAt?.revision}: ${r.chain.brokenAt?.reason}`)}`,
    `read model: ${r.readModel.ok ? 'matches the log' : paint(out, 'red', `${r.readModel.mismatches.length} mismatch(es)`)}`,
    ...r.readModel.mismatches.slice(0, 20).map((m) => `  ${m.id}: ${m.reason}`),
  ];
  if (r.readModel.mismatches.length > 20)
    lines.push(`  … and ${r.readModel.mismatches.length - 20} more`);
  return `${lines.join('\n')}\n`;
}

const redactUrl = (u: string): string => u.replace(/\/\/[^@/]*@/, '//***@');

export function buildProgram(ctx: CliEnv, setExit: (code: number) => void): Command {
  const { env, clock, out } = ctx;
  const program = new Command('commitments');
  program
    .description(
      'Track what states promise each other: record, follow up, see what is overdue, audit.',
    )
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => out.write(s),
      writeErr: (s) => process.stderr.write(s),
    });

  common(
    program
      .command('serve')
      .description('start the HTTP API (PORT, HOST, API_KEYS, … from the environment)'),
  ).action(async (o: CommonOptions) => {
    const config = cliConfig(o, env, true);
    const logger = createLogger({ level: config.logLevel });
    await startServer({ config, logger, clock });
    serving = true;
  });

  common(
    program
      .command('record')
      .argument('<file>', 'JSON body as for POST /commitments, or - for stdin')
      .description('record one commitment'),
  ).action(async (file: string, o: CommonOptions) => {
    const text = readInput(file);
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new UsageError(`${file}: invalid JSON: ${(err as Error).message}`);
    }
    const parsed = RecordCommitmentBody.safeParse(raw);
    if (!parsed.success) {
      for (const f of fieldErrors(parsed.error.issues, raw))
        out.error(f.path ? `${f.path}: ${f.message}` : f.message);
      setExit(EXIT.usage);
      return;
    }
    const tracker = await openCliTracker(cliConfig(o, env, false), clock, { create: true });
    try {
      const r = await tracker.record(parsed.data, { recordedBy: cliUser(env) });
      out.write(
        o.json
          ? json(r.view)
          : `recorded ${paint(out, 'bold', r.view.id)} (revision ${r.revision})\n`,
      );
    } finally {
      await tracker.close();
    }
  });

  common(
    program
      .command('import')
      .argument(
        '<file>',
        'NDJSON or a JSON array of commitment bodies or commands, or an NDJSON event export; - for stdin',
      )
      .option('--skip-invalid', 'skip invalid lines (and report them) instead of stopping')
      .description('import commitments or an event export (idempotent)'),
  ).action(async (file: string, o: CommonOptions & { skipInvalid?: boolean }) => {
    const text = readInput(file);
    const tracker = await openCliTracker(cliConfig(o, env, false), clock, { create: true });
    try {
      const plan = await planImport(text, tracker.store, { today: utcDate(clock.now()) });
      for (const e of plan.invalid)
        out.error(`${formatLineError(e)}${o.skipInvalid ? ' (skipped)' : ''}`);
      const invalidLines = new Set(plan.invalid.map((e) => e.where)).size;
      if (invalidLines > 0 && !o.skipInvalid) {
        out.error(`${invalidLines} invalid line(s): nothing was imported`);
        setExit(EXIT.usage);
        return;
      }
      const bar = progress(out, 'import', plan.writes.length);
      let result;
      try {
        result = await applyImport(plan, tracker, { recordedBy: cliUser(env), progress: bar });
      } finally {
        bar.stop();
      }
      const summary = {
        format: plan.format,
        entries: plan.entries,
        imported: result.imported,
        events: result.events,
        present: plan.present,
        invalid: invalidLines,
      };
      out.write(
        o.json
          ? json(summary)
          : `imported ${summary.imported} of ${summary.entries} ${plan.format === 'events' ? 'events' : 'entries'} ` +
              `(${summary.events} events written, ${summary.present} already present, ${summary.invalid} invalid)\n`,
      );
    } finally {
      await tracker.close();
    }
  });

  common(
    program
      .command('export')
      .description('export the event log (ndjson, lossless) or the commitments (csv, ics)')
      .addOption(
        new Option('--format <format>', 'output format')
          .choices(['ndjson', 'csv', 'ics'])
          .makeOptionMandatory(),
      )
      .option('--out <file>', 'write to this file instead of stdout')
      .option('--party <party>', 'only commitments of this party (csv, ics)')
      .option('--as-of <date>', 'compute timing at this date (csv; default today, UTC)'),
  ).action(
    async (
      o: CommonOptions & {
        format: 'ndjson' | 'csv' | 'ics';
        out?: string;
        party?: string;
        asOf?: string;
      },
    ) => {
      if (o.format === 'ndjson' && o.party !== undefined)
        throw new UsageError('--party does not apply to the ndjson event log');
      const asOf = parseAsOf(o.asOf, clock);
      const tracker = await openCliTracker(cliConfig(o, env, false), clock, {
        catchUpReadModel: true,
      });
      try {
        if (o.format === 'ndjson') {
          const head = await tracker.store.headPosition();
          const bar = progress(out, 'export', head);
          const chunks: string[] = [];
          try {
            let after = 0;
            for (;;) {
              const page = await tracker.store.readAll({ after, limit: 1000 });
              if (page.length === 0) break;
              for (const e of page) chunks.push(toNdjsonLine(e));
              after = (page[page.length - 1] as StoredEvent).position;
              bar.update(after);
              if (page.length < 1000) break;
            }
          } finally {
            bar.stop();
          }
          emit(out, chunks.join(''), o.out);
          return;
        }
        const bar = progress(out, 'export', 1);
        let views: CommitmentView[];
        try {
          views = await allViews(tracker, {
            asOf,
            ...(o.party !== undefined ? { party: o.party } : {}),
          });
          bar.update(1);
        } finally {
          bar.stop();
        }
        const text =
          o.format === 'csv'
            ? renderCsv(views)
            : renderIcs(views, { name: o.party ? `Commitments (${o.party})` : 'Commitments' });
        emit(out, text, o.out);
      } finally {
        await tracker.close();
      }
    },
  );

  common(
    program
      .command('overdue')
      .description('deadlines and follow-ups dated before the as-of date')
      .option('--as-of <date>', 'YYYY-MM-DD (default today, UTC)')
      .option('--party <party>', 'only commitments of this party'),
  ).action(async (o: CommonOptions & { asOf?: string; party?: string }) => {
    const asOf = parseAsOf(o.asOf, clock);
    const tracker = await openCliTracker(cliConfig(o, env, false), clock, {
      catchUpReadModel: true,
    });
    try {
      const items = await tracker.overdue({
        asOf,
        ...(o.party !== undefined ? { party: o.party } : {}),
      });
      out.write(o.json ? json({ asOf, items }) : agendaTable(out, items, 'daysOverdue'));
    } finally {
      await tracker.close();
    }
  });

  common(
    program
      .command('upcoming')
      .description('deadlines and follow-ups from the as-of date to as-of + within')
      .option('--as-of <date>', 'YYYY-MM-DD (default today, UTC)')
      .option('--within <duration>', 'ISO-8601 duration', 'P30D')
      .option('--party <party>', 'only commitments of this party'),
  ).action(async (o: CommonOptions & { asOf?: string; within?: string; party?: string }) => {
    const asOf = parseAsOf(o.asOf, clock);
    const until = untilDate(asOf, parseWithin(o.within));
    const tracker = await openCliTracker(cliConfig(o, env, false), clock, {
      catchUpReadModel: true,
    });
    try {
      const items = await tracker.upcoming({
        asOf,
        until,
        ...(o.party !== undefined ? { party: o.party } : {}),
      });
      out.write(o.json ? json({ asOf, until, items }) : agendaTable(out, items, 'daysUntil'));
    } finally {
      await tracker.close();
    }
  });

  common(
    program
      .command('show')
      .argument('<id>', 'commitment id')
      .description('one commitment (and its history)')
      .option('--history', 'also list its events')
      .option('--as-of <date>', 'YYYY-MM-DD (default today, UTC)')
      .option('--known-at <instant>', 'as the tracker knew it at this instant'),
  ).action(
    async (
      id: string,
      o: CommonOptions & { history?: boolean; asOf?: string; knownAt?: string },
    ) => {
      const asOf = parseAsOf(o.asOf, clock);
      const knownAt = o.knownAt !== undefined ? parseKnownAt(o.knownAt, clock) : undefined;
      const tracker = await openCliTracker(cliConfig(o, env, false), clock, {
        catchUpReadModel: true,
      });
      try {
        const view = await tracker.get(id, { asOf, ...(knownAt ? { knownAt } : {}) });
        if (!view)
          throw new NotFoundError(`no commitment ${id}${knownAt ? ` known at ${knownAt}` : ''}`);
        let events: StoredEvent[] = [];
        if (o.history) {
          events = (await tracker.history(id)) ?? [];
          if (knownAt)
            events = events.filter((e) => Date.parse(e.metadata.recordedAt) <= Date.parse(knownAt));
        }
        if (o.json) {
          out.write(json(o.history ? { view, events: events.map(historyEntry) } : view));
          return;
        }
        out.write(showView(out, view));
        if (o.history) {
          out.write('\n');
          out.write(
            table<StoredEvent>(
              out,
              [
                { header: 'REV', value: (e) => String(e.revision), right: true },
                { header: 'POSITION', value: (e) => String(e.position), right: true },
                { header: 'TYPE', value: (e) => e.type },
                { header: 'RECORDED AT', value: (e) => e.metadata.recordedAt },
                { header: 'BY', value: (e) => e.metadata.recordedBy },
                { header: 'HASH', value: (e) => e.hash.slice(0, 12) },
              ],
              events,
            ),
          );
        }
      } finally {
        await tracker.close();
      }
    },
  );

  common(
    program
      .command('replay')
      .description('the whole tracker as it was known at an instant, replayed from the log')
      .option('--known-at <instant>', 'ISO-8601 instant (default now)')
      .option('--as-of <date>', 'YYYY-MM-DD (default today, UTC)')
      .option('--out <file>', 'write the JSON result to this file'),
  ).action(async (o: CommonOptions & { knownAt?: string; asOf?: string; out?: string }) => {
    const knownAt = parseKnownAt(o.knownAt, clock);
    const asOf = parseAsOf(o.asOf, clock);
    const tracker = await openCliTracker(cliConfig(o, env, false), clock);
    try {
      const store = tracker.store;
      const bar = progress(out, 'replay', await store.headPosition());
      let result;
      try {
        result = await replayKnownAt(
          {
            readAll: async (opts) => {
              const page = await store.readAll(opts);
              const last = page[page.length - 1];
              if (last) bar.update(last.position);
              return page;
            },
          },
          { knownAt, asOf },
        );
      } finally {
        bar.stop();
      }
      if (o.out !== undefined) {
        emit(out, json(result), o.out);
        if (!o.json)
          out.write(
            `replayed ${result.commitments.length} commitments up to position ${result.position} into ${o.out}\n`,
          );
        return;
      }
      out.write(
        o.json
          ? json(result)
          : `known at ${knownAt}, as of ${asOf} (position ${result.position})\n${viewsTable(out, result.commitments)}`,
      );
    } finally {
      await tracker.close();
    }
  });

  common(
    program
      .command('verify')
      .description('audit: the hash chain of every stream, and the read model against the log'),
  ).action(async (o: CommonOptions) => {
    const tracker = await openCliTracker(cliConfig(o, env, false), clock, {
      catchUpReadModel: true,
    });
    try {
      const report = await tracker.verify();
      out.write(o.json ? json(report) : verifyText(out, report));
      if (!report.ok) setExit(EXIT.problem);
    } finally {
      await tracker.close();
    }
  });

  common(
    program.command('rebuild').description('drop the read model and rebuild it from the log'),
  ).action(async (o: CommonOptions) => {
    const tracker = await openCliTracker(cliConfig(o, env, false), clock);
    try {
      const bar = progress(out, 'rebuild', await tracker.store.headPosition());
      let r;
      try {
        r = await rebuild(tracker.localDb, tracker.store, {
          onProgress: (p) => bar.update(p.position),
        });
      } finally {
        bar.stop();
      }
      out.write(
        o.json
          ? json(r)
          : `rebuilt the read model: ${r.commitments} commitments from ${r.events} events (position ${r.position})\n`,
      );
    } finally {
      await tracker.close();
    }
  });

  common(
    program
      .command('migrate')
      .description(
        'copy the whole log into another store (resumable); ids, metadata and hashes are kept',
      )
      .requiredOption('--to <target>', 'esdb:// connection string, or a data directory'),
  ).action(async (o: CommonOptions & { to: string }) => {
    const config = cliConfig(o, env, false);
    const tracker = await openCliTracker(config, clock);
    try {
      const target = await openTarget(o.to, {
        clock,
        ...(config.eventstoreUrl ? {} : { sourceDataDir: config.dataDir }),
        synchronous: config.sqliteSynchronous,
      });
      try {
        const stopAfter = env['COMMITMENTS_MIGRATE_STOP_AFTER'];
        const bar = progress(out, 'migrate', 0);
        let r;
        try {
          r = await migrate(tracker.store, target, {
            to: redactUrl(o.to),
            progress: bar,
            ...(stopAfter ? { stopAfter: Number(stopAfter), batchSize: 1 } : {}),
          });
        } finally {
          bar.stop();
        }
        out.write(
          o.json
            ? json(r)
            : `migrated ${r.events} events to ${r.to}: ${r.copied} copied, ${r.skipped} already there\n`,
        );
      } finally {
        await target.close();
      }
    } finally {
      await tracker.close();
    }
  });

  return program;
}

/** Map an error to an exit code, with a one-line reason on stderr. */
export function exitCodeOf(err: unknown, out: Out): number {
  if (err instanceof CommanderError) {
    if (
      err.exitCode === 0 ||
      err.code === 'commander.helpDisplayed' ||
      err.code === 'commander.version'
    )
      return EXIT.ok;
    return EXIT.usage; // commander has printed its message
  }
  if (err instanceof StoreUnavailableError) {
    out.error(`store unavailable: ${err.message}`);
    return EXIT.unavailable;
  }
  if (err instanceof NoStoreError) {
    out.error(err.message);
    return EXIT.unavailable;
  }
  if (err instanceof UsageError) {
    out.error(err.message);
    return EXIT.usage;
  }
  if (err instanceof InvalidInputError) {
    out.error(err.path ? `${err.path}: ${err.message}` : err.message);
    return EXIT.usage;
  }
  if (
    err instanceof DomainError ||
    err instanceof NotFoundError ||
    err instanceof PreconditionFailedError ||
    err instanceof WrongExpectedRevisionError ||
    err instanceof DuplicateEventError ||
    err instanceof ChainMismatchError
  ) {
    out.error(err.message);
    return EXIT.usage;
  }
  out.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  return EXIT.problem;
}

/** Run the CLI with `argv` (as process.argv). Resolves to the exit code. */
export async function run(
  argv: readonly string[],
  ctx: CliEnv = { env: process.env, clock: systemClock, out: createOut() },
): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(ctx, (c) => {
    code = c;
  });
  if (argv.length <= 2) {
    program.outputHelp();
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    return exitCodeOf(err, ctx.out);
  }
  return code;
}

/** Entry point: `node dist/src/cli/main.js …` and bin/commitments.js. */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  const code = await run(argv);
  if (serving) return; // the server keeps the process alive; it exits on SIGTERM/SIGINT
  process.exitCode = code;
  // Lingering client handles (EventStoreDB) must not keep a finished command alive.
  setImmediate(() => process.exit(code)).unref();
}

const isEntry = (() => {
  try {
    return (
      process.argv[1] !== undefined &&
      fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)
    );
  } catch {
    return false;
  }
})();
if (isEntry) void main();
