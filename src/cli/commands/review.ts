/** `commitments review ID --assessment on_track|at_risk|stalled [--at D] [--note T]`: POST /commitments/{id}/reviews. */
import type { Command } from 'commander';
import type { CommandContext, CommonOptions } from '../context.js';
import {
  defined,
  followUpOptions,
  runFollowUp,
  sourceOf,
  todayOf,
  type SourceOptions,
} from './follow-up.js';

type ReviewOptions = CommonOptions &
  SourceOptions & { assessment?: string; at?: string; note?: string };

export function registerReview(program: Command, ctx: CommandContext): void {
  followUpOptions(
    program
      .command('review')
      .argument('<id>', 'commitment id')
      .description('record a review: is the commitment on track, at risk or stalled?')
      .option('--assessment <value>', 'on_track, at_risk or stalled (required)')
      .option('--at <date>', 'YYYY-MM-DD of the review (default today, UTC)')
      .option('--note <text>', 'why'),
  ).action(async (id: string, o: ReviewOptions) => {
    const at = o.at ?? todayOf(ctx);
    const body = defined({
      reviewedAt: at,
      assessment: o.assessment,
      note: o.note,
      source: sourceOf(o, at),
    });
    await runFollowUp(ctx, o, id, 'RecordReview', body, 'review recorded');
  });
}
