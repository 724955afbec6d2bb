/** `commitments upcoming`: deadlines and follow-ups from the as-of date to as-of + within. */
import type { Command } from 'commander';
import { untilDate } from '../../../projections/agenda.js';
import {
  common,
  json,
  parseAsOf,
  parseWithin,
  withTracker,
  type CommandContext,
  type CommonOptions,
} from '../context.js';
import { agendaTable } from '../render.js';

export function registerUpcoming(program: Command, ctx: CommandContext): void {
  common(
    program
      .command('upcoming')
      .description('deadlines and follow-ups from the as-of date to as-of + within')
      .option('--as-of <date>', 'YYYY-MM-DD (default today, UTC)')
      .option('--within <duration>', 'ISO-8601 duration', 'P30D')
      .option('--party <party>', 'only commitments of this party'),
  ).action(async (o: CommonOptions & { asOf?: string; within?: string; party?: string }) => {
    const asOf = parseAsOf(o.asOf, ctx.clock);
    const until = untilDate(asOf, parseWithin(o.within));
    await withTracker(ctx, o, { catchUpReadModel: true }, async (tracker) => {
      const items = await tracker.upcoming({
        asOf,
        until,
        ...(o.party !== undefined ? { party: o.party } : {}),
      });
      ctx.out.write(
        o.json ? json({ asOf, until, items }) : agendaTable(ctx.out, items, 'daysUntil'),
      );
    });
  });
}
