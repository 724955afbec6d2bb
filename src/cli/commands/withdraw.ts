/** `commitments withdraw ID --reason T [--at D]`: POST /commitments/{id}/withdrawal (final). */
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

type WithdrawOptions = CommonOptions & SourceOptions & { reason?: string; at?: string };

export function registerWithdraw(program: Command, ctx: CommandContext): void {
  followUpOptions(
    program
      .command('withdraw')
      .argument('<id>', 'commitment id')
      .description('record that the commitment was withdrawn (final)')
      .option('--reason <text>', 'why it was withdrawn (required)')
      .option('--at <date>', 'YYYY-MM-DD of the withdrawal (default today, UTC)'),
  ).action(async (id: string, o: WithdrawOptions) => {
    const at = o.at ?? todayOf(ctx);
    const body = defined({ at, reason: o.reason, source: sourceOf(o, at) });
    await runFollowUp(ctx, o, id, 'Withdraw', body, 'withdrawal recorded');
  });
}
