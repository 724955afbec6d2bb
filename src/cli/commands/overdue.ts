/** `commitments overdue`: deadlines and follow-ups dated before the as-of date. */
import type { Command } from 'commander';
import {
  common,
  json,
  parseAsOf,
  withTracker,
  type CommandContext,
  type CommonOptions,
} from '../context.js';
import { agendaTable } from '../render.js';

export function registerOverdue(program: Command, ctx: CommandContext): void {
  common(
    program
      .command('overdue')
      .description('deadlines and follow-ups dated before the as-of date')
      .option('--as-of <date>', 'YYYY-MM-DD (default today, UTC)')
      .option('--party <party>', 'only commitments of this party'),
  ).action(async (o: CommonOptions & { asOf?: string; party?: string }) => {
    const asOf = parseAsOf(o.asOf, ctx.clock);
    await withTracker(ctx, o, { catchUpReadModel: true }, async (tracker) => {
      const items = await tracker.overdue({
        asOf,
        ...(o.party !== undefined ? { party: o.party } : {}),
      });
      ctx.out.write(o.json ? json({ asOf, items }) : agendaTable(ctx.out, items, 'daysOverdue'));
    });
  });
}
