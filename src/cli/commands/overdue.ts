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
import { collectAgenda, parseLimit, sayMore } from '../agenda-pages.js';
import { agendaTable } from '../render.js';

export function registerOverdue(program: Command, ctx: CommandContext): void {
  common(
    program
      .command('overdue')
      .description('deadlines and follow-ups dated before the as-of date')
      .option('--as-of <date>', 'YYYY-MM-DD (default today, UTC)')
      .option('--party <party>', 'only commitments of this party')
      .option('--limit <n>', 'show at most n items (default 50 on a terminal, else all)'),
  ).action(async (o: CommonOptions & { asOf?: string; party?: string; limit?: string }) => {
    const asOf = parseAsOf(o.asOf, ctx.clock);
    const limit = parseLimit(o.limit, process.stdout.isTTY === true);
    await withTracker(ctx, o, { catchUpReadModel: true }, async (tracker) => {
      const { items, total } = await collectAgenda(
        (page) =>
          tracker.overdue({ asOf, ...page, ...(o.party !== undefined ? { party: o.party } : {}) }),
        limit,
      );
      ctx.out.write(
        o.json ? json({ asOf, items, total }) : agendaTable(ctx.out, items, 'daysOverdue'),
      );
      sayMore(ctx.out, items.length, total);
    });
  });
}
