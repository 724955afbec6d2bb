/**
 * `commitments summary [--as-of D] [--known-at T] [--party P] [--tag T]`: the counts of
 * `GET /summary` (the tracker's `summary`): by status, by kind, overdue and upcoming, per party.
 */
import type { Command } from 'commander';
import {
  common,
  json,
  parseAsOf,
  parseKnownAt,
  withTracker,
  type CommandContext,
  type CommonOptions,
} from '../context.js';
import { keyValues, table } from '../output.js';

type SummaryOptions = CommonOptions & {
  asOf?: string;
  knownAt?: string;
  party?: string;
  tag?: string;
};

const counts = (r: Record<string, number>): string =>
  Object.entries(r)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || '-';

export function registerSummary(program: Command, ctx: CommandContext): void {
  const { out } = ctx;
  common(
    program
      .command('summary')
      .description('counts by status, kind and party; overdue and upcoming (as GET /summary)')
      .option('--as-of <date>', 'YYYY-MM-DD (default today, UTC)')
      .option('--known-at <instant>', 'as the tracker knew it at this instant (replays the log)')
      .option('--party <party>', 'only commitments of this party')
      .option('--tag <tag>', 'only commitments with this tag'),
  ).action(async (o: SummaryOptions) => {
    const asOf = parseAsOf(o.asOf, ctx.clock);
    const knownAt = o.knownAt !== undefined ? parseKnownAt(o.knownAt, ctx.clock) : undefined;
    await withTracker(ctx, o, { catchUpReadModel: true }, async (tracker) => {
      const s = await tracker.summary({
        asOf,
        ...(knownAt !== undefined ? { knownAt } : {}),
        ...(o.party !== undefined ? { party: o.party } : {}),
        ...(o.tag !== undefined ? { tag: o.tag } : {}),
      });
      if (o.json) {
        out.write(json(s));
        return;
      }
      out.write(
        keyValues(out, [
          ['as of', s.asOf + (s.knownAt ? ` (known at ${s.knownAt})` : '')],
          ['commitments', String(s.total)],
          ['by status', counts(s.byStatus)],
          ['by kind', counts(s.byKind)],
          ['overdue', `${s.overdue.commitments} commitments, ${s.overdue.items} items`],
          ['upcoming', `${s.upcoming.items} items within ${s.upcoming.within}`],
        ]),
      );
      if (s.byParty.length > 0)
        out.write(
          `\n${table(
            out,
            [
              { header: 'PARTY', value: (p) => p.party },
              { header: 'TOTAL', value: (p) => String(p.total), right: true },
              { header: 'OVERDUE', value: (p) => String(p.overdue), right: true },
              { header: 'BY STATUS', value: (p) => counts(p.byStatus) },
            ],
            s.byParty,
          )}`,
        );
    });
  });
}
