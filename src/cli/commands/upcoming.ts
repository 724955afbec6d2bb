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
import { collectAgenda, parseLimit, sayMore } from '../agenda-pages.js';
import { agendaTable } from '../render.js';

export function registerUpcoming(program: Command, ctx: CommandContext): void {
  common(
    program
      .command('upcoming')
      .description('deadlines and follow-ups from the as-of date to as-of + within')
      .option('--as-of <date>', 'YYYY-MM-DD (default today, UTC)')
      .option('--within <duration>', 'ISO-8601 duration', 'P30D')
      .option('--party <party>', 'only commitments of this party')
      .option('--limit <n>', 'show at most n items (default 50 on a terminal, else all)'),
  ).action(
    async (
      o: CommonOptions & { asOf?: string; within?: string; party?: string; limit?: string },
    ) => {
      const asOf = parseAsOf(o.asOf, ctx.clock);
      const until = untilDate(asOf, parseWithin(o.within));
      const limit = parseLimit(o.limit, process.stdout.isTTY === true);
      await withTracker(ctx, o, { catchUpReadModel: true }, async (tracker) => {
        const { items, total } = await collectAgenda(
          (page) =>
            tracker.upcoming({
              asOf,
              until,
              ...page,
              ...(o.party !== undefined ? { party: o.party } : {}),
            }),
          limit,
        );
        ctx.out.write(
          o.json ? json({ asOf, until, items, total }) : agendaTable(ctx.out, items, 'daysUntil'),
        );
        sayMore(ctx.out, items.length, total);
      });
    },
  );
}
