/**
 * `commitments export --format ndjson|csv|ics`: the event log (lossless, in position order) or
 * the commitments as CSV or iCalendar. Every format streams: the log or the read model is read a
 * page at a time and each page is written before the next is read (src/export/stream.ts), so
 * memory does not grow with the export. `--out` writes a temporary file and renames it at the end.
 */
import { Option, type Command } from 'commander';
import type { OpenTracker } from '../../bootstrap.js';
import { calendarName, csvChunks, icsChunks, ndjsonChunks } from '../../export/index.js';
import { ASSESSMENTS, AssessmentOrNone } from '../../domain/values.js';
import {
  UsageError,
  common,
  emitChunks,
  parseAsOf,
  withTracker,
  type CommandContext,
  type CommonOptions,
} from '../context.js';
import { progress, type Out } from '../output.js';

type ExportOptions = CommonOptions & {
  format: 'ndjson' | 'csv' | 'ics';
  out?: string;
  party?: string;
  assessment?: string;
  asOf?: string;
  bom: boolean;
};

async function eventLog(out: Out, tracker: OpenTracker, file: string | undefined): Promise<void> {
  const bar = progress(out, 'export', await tracker.store.headPosition());
  try {
    await emitChunks(out, ndjsonChunks(tracker.store, { onPage: (p) => bar.update(p) }), file);
  } finally {
    bar.stop();
  }
}

export function registerExport(program: Command, ctx: CommandContext): void {
  const { out } = ctx;
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
      .option(
        '--assessment <a>',
        `only commitments whose latest review says ${ASSESSMENTS.join(', ')} or none (csv, ics)`,
      )
      .option('--as-of <date>', 'compute timing at this date (csv; default today, UTC)')
      .option('--no-bom', 'csv: leave out the UTF-8 byte-order mark'),
  ).action(async (o: ExportOptions) => {
    if (o.format === 'ndjson' && o.party !== undefined)
      throw new UsageError('--party does not apply to the ndjson event log');
    if (o.format === 'ndjson' && o.assessment !== undefined)
      throw new UsageError('--assessment does not apply to the ndjson event log');
    const assessment =
      o.assessment === undefined ? undefined : AssessmentOrNone.safeParse(o.assessment);
    if (assessment !== undefined && !assessment.success)
      throw new UsageError(
        `--assessment: must be one of ${[...ASSESSMENTS, 'none'].join(', ')}, not "${o.assessment}"`,
      );
    const asOf = parseAsOf(o.asOf, ctx.clock);
    await withTracker(ctx, o, { catchUpReadModel: true }, async (tracker) => {
      if (o.format === 'ndjson') return eventLog(out, tracker, o.out);
      const sel = {
        asOf,
        ...(o.party !== undefined ? { party: o.party } : {}),
        ...(assessment?.success ? { assessment: assessment.data } : {}),
      };
      const chunks =
        o.format === 'csv'
          ? csvChunks(tracker, { ...sel, bom: o.bom })
          : icsChunks(tracker, { ...sel, name: calendarName(o.party) });
      await emitChunks(out, chunks, o.out);
    });
  });
}
