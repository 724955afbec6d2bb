/**
 * `commitments revise-deadline ID "by 2031" --reason T [--source …]`: POST /commitments/{id}/deadline.
 * The deadline is a phrase (relative phrases resolve against today), or with `--edtf` an EDTF
 * date, or with `--latest` a date.
 */
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

type ReviseOptions = CommonOptions &
  SourceOptions & { reason?: string; edtf?: boolean; latest?: boolean };

export function registerReviseDeadline(program: Command, ctx: CommandContext): void {
  followUpOptions(
    program
      .command('revise-deadline')
      .argument('<id>', 'commitment id')
      .argument('<due>', 'the new deadline: a phrase such as "by 2031" or "by the end of 2030"')
      .description('revise the deadline')
      .option('--reason <text>', 'why the deadline changed (required)')
      .option('--edtf', 'the deadline is an EDTF date such as 2031 or 2031-06')
      .option('--latest', 'the deadline is a date YYYY-MM-DD'),
  ).action(async (id: string, text: string, o: ReviseOptions) => {
    const due = o.edtf ? { edtf: text } : o.latest ? { latest: text } : { text };
    const body = defined({ due, reason: o.reason, source: sourceOf(o, todayOf(ctx)) });
    await runFollowUp(ctx, o, id, 'ReviseDeadline', body, 'deadline revised');
  });
}
