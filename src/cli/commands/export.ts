/**
 * `commitments export --format ndjson|csv|ics`: the event log (lossless, in position order,
 * read in pages) or the commitments as CSV or iCalendar.
 */
import { Option, type Command } from 'commander';
import type { CommitmentView } from '../../../projections/types.js';
import type { OpenTracker } from '../../bootstrap.js';
import { allViews, renderCsv, renderIcs, toNdjsonLine } from '../../export/index.js';
import type { StoredEvent } from '../../store/port.js';
import {
  UsageError,
  common,
  emit,
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
  asOf?: string;
};

const PAGE = 1000;

async function eventLog(out: Out, tracker: OpenTracker): Promise<string> {
  const bar = progress(out, 'export', await tracker.store.headPosition());
  const chunks: string[] = [];
  try {
    let after = 0;
    for (;;) {
      const page = await tracker.store.readAll({ after, limit: PAGE });
      if (page.length === 0) break;
      for (const e of page) chunks.push(toNdjsonLine(e));
      after = (page[page.length - 1] as StoredEvent).position;
      bar.update(after);
      if (page.length < PAGE) break;
    }
  } finally {
    bar.stop();
  }
  return chunks.join('');
}

async function commitments(
  out: Out,
  tracker: OpenTracker,
  o: ExportOptions,
  asOf: string,
): Promise<string> {
  const bar = progress(out, 'export', 1);
  let views: CommitmentView[];
  try {
    views = await allViews(tracker, { asOf, ...(o.party !== undefined ? { party: o.party } : {}) });
    bar.update(1);
  } finally {
    bar.stop();
  }
  return o.format === 'csv'
    ? renderCsv(views)
    : renderIcs(views, { name: o.party ? `Commitments (${o.party})` : 'Commitments' });
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
      .option('--as-of <date>', 'compute timing at this date (csv; default today, UTC)'),
  ).action(async (o: ExportOptions) => {
    if (o.format === 'ndjson' && o.party !== undefined)
      throw new UsageError('--party does not apply to the ndjson event log');
    const asOf = parseAsOf(o.asOf, ctx.clock);
    await withTracker(ctx, o, { catchUpReadModel: true }, async (tracker) => {
      const text =
        o.format === 'ndjson'
          ? await eventLog(out, tracker)
          : await commitments(out, tracker, o, asOf);
      emit(out, text, o.out);
    });
  });
}
