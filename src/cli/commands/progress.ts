/** `commitments progress ID --as-of D [--value N] [--note T] [--source …]`: POST /commitments/{id}/progress. */
import type { Command } from 'commander';
import type { CommandContext, CommonOptions } from '../context.js';
import {
  defined,
  followUpOptions,
  numberArg,
  runFollowUp,
  sourceOf,
  type SourceOptions,
} from './follow-up.js';

type ProgressOptions = CommonOptions &
  SourceOptions & { asOf?: string; value?: string; note?: string };

export function registerProgress(program: Command, ctx: CommandContext): void {
  followUpOptions(
    program
      .command('progress')
      .argument('<id>', 'commitment id')
      .description("report progress: the metric's value as of a date, or a note")
      .option('--as-of <date>', 'YYYY-MM-DD the figure or note is as of (required)')
      .option('--value <n>', "the metric's value then (needs a metric)")
      .option('--note <text>', 'what happened'),
  ).action(async (id: string, o: ProgressOptions) => {
    const body = defined({
      asOf: o.asOf,
      value: numberArg(o.value),
      note: o.note,
      source: sourceOf(o, o.asOf),
    });
    await runFollowUp(ctx, o, id, 'ReportProgress', body, 'progress recorded');
  });
}
