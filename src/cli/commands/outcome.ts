/** `commitments outcome ID --outcome fulfilled|partially_fulfilled|missed [--decided-at D] [--note T]`: POST /commitments/{id}/outcome. */
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

type OutcomeOptions = CommonOptions &
  SourceOptions & { outcome?: string; decidedAt?: string; note?: string };

export function registerOutcome(program: Command, ctx: CommandContext): void {
  followUpOptions(
    program
      .command('outcome')
      .argument('<id>', 'commitment id')
      .description('record how the commitment ended: fulfilled, partially fulfilled or missed')
      .option('--outcome <value>', 'fulfilled, partially_fulfilled or missed (required)')
      .option('--decided-at <date>', 'YYYY-MM-DD the outcome was judged (default today, UTC)')
      .option('--note <text>', 'why'),
  ).action(async (id: string, o: OutcomeOptions) => {
    const decidedAt = o.decidedAt ?? todayOf(ctx);
    const body = defined({
      outcome: o.outcome,
      decidedAt,
      note: o.note,
      source: sourceOf(o, decidedAt),
    });
    await runFollowUp(ctx, o, id, 'RecordOutcome', body, 'outcome recorded');
  });
}
