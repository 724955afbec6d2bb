/**
 * `commitments scorecard`: the tables of a Research Group report (issue 15). Without `--party`,
 * each party's and each commitment's average score; with `--party`, that party's score on each
 * commitment that scored it. `--as-of` counts only reports published by then, `--known-at` only
 * events recorded by then. Same answers as `GET /scorecards` and `GET /parties/{party}/scorecard`.
 */
import type { Command } from 'commander';
import type { PartyScorecardResult, ScorecardResult } from '../../app/scorecards.js';
import { Party } from '../../domain/values.js';
import {
  common,
  json,
  parseAsOf,
  parseKnownAt,
  UsageError,
  withTracker,
  type CommandContext,
  type CommonOptions,
} from '../context.js';
import { table, type Out } from '../output.js';

interface ScorecardOptions extends CommonOptions {
  tag?: string;
  party?: string;
  asOf?: string;
  knownAt?: string;
}

/** An average as reports print it: two decimals and a sign (`+0.85`, `-0.46`, `0.00`), or `-`. */
export function formatAverage(average: number | null): string {
  if (average === null) return '-';
  const r = Math.round(average * 100) / 100;
  const s = Math.abs(r).toFixed(2);
  return r > 0 ? `+${s}` : r < 0 ? `-${s}` : s;
}

type Row = { average: number | null; scored: number; counts: Record<'-1' | '0' | '1', number> };

const scoreColumns = <T extends Row>() => [
  { header: 'AVERAGE', value: (r: T) => formatAverage(r.average), right: true },
  { header: 'SCORED', value: (r: T) => String(r.scored), right: true },
  { header: '-1', value: (r: T) => String(r.counts['-1']), right: true },
  { header: '0', value: (r: T) => String(r.counts['0']), right: true },
  { header: '+1', value: (r: T) => String(r.counts['1']), right: true },
];

function heading(card: { tag: string | null; asOf: string; knownAt: string | null }): string {
  return (
    `scorecard${card.tag !== null ? ` for ${card.tag}` : ''}, reports published by ${card.asOf}` +
    `${card.knownAt !== null ? `, as known at ${card.knownAt}` : ''}\n`
  );
}

export function scorecardTables(out: Out, card: ScorecardResult): string {
  if (card.overall.scored === 0) return `${heading(card)}no scores\n`;
  type P = ScorecardResult['parties'][number];
  type C = ScorecardResult['commitments'][number];
  return (
    heading(card) +
    '\n' +
    table<P>(
      out,
      [{ header: 'PARTY', value: (p) => p.party }, ...scoreColumns<P>()],
      card.parties,
    ) +
    '\n' +
    table<C>(
      out,
      [
        { header: 'COMMITMENT', value: (c) => c.id },
        ...scoreColumns<C>(),
        { header: 'TITLE', value: (c) => c.title },
      ],
      card.commitments,
    ) +
    `\noverall ${formatAverage(card.overall.average)} over ${card.overall.scored} scores\n`
  );
}

export function partyScorecardTable(out: Out, card: PartyScorecardResult): string {
  const head = `${heading(card)}${card.party}: ${formatAverage(card.average)} over ${card.scored} commitments\n`;
  if (card.commitments.length === 0) return head;
  type C = PartyScorecardResult['commitments'][number];
  return (
    `${head}\n` +
    table<C>(
      out,
      [
        { header: 'COMMITMENT', value: (c) => c.id },
        { header: 'SCORE', value: (c) => formatAverage(c.score), right: true },
        { header: 'PHASE', value: (c) => c.phase },
        { header: 'REPORT', value: (c) => `${c.report.name} (${c.report.publishedAt})` },
        { header: 'TITLE', value: (c) => c.title },
      ],
      card.commitments,
    )
  );
}

export function registerScorecard(program: Command, ctx: CommandContext): void {
  common(
    program
      .command('scorecard')
      .description("compliance averages per party and per commitment, as a Research Group's report")
      .option('--tag <tag>', 'only commitments with this tag (e.g. g20-rio-2024)')
      .option('--party <party>', "one party's scores (a code or a country name)")
      .option('--as-of <date>', 'count reports published by this date (default today, UTC)')
      .option('--known-at <instant>', 'count only events recorded by this instant'),
  ).action(async (o: ScorecardOptions) => {
    const asOf = parseAsOf(o.asOf, ctx.clock);
    const knownAt = o.knownAt !== undefined ? parseKnownAt(o.knownAt, ctx.clock) : undefined;
    let party: string | undefined;
    if (o.party !== undefined) {
      const r = Party.safeParse(o.party);
      if (!r.success) throw new UsageError(`--party: ${o.party} is not a party`);
      party = r.data;
    }
    if (o.tag !== undefined && o.tag.trim() === '')
      throw new UsageError('--tag: must not be empty');
    const q = {
      asOf,
      ...(o.tag !== undefined ? { tag: o.tag.trim() } : {}),
      ...(knownAt !== undefined ? { knownAt } : {}),
    };
    await withTracker(ctx, o, { catchUpReadModel: true }, async (tracker) => {
      if (party !== undefined) {
        const card = await tracker.partyScorecard(party, q);
        ctx.out.write(o.json ? json(card) : partyScorecardTable(ctx.out, card));
      } else {
        const card = await tracker.scorecard(q);
        ctx.out.write(o.json ? json(card) : scorecardTables(ctx.out, card));
      }
    });
  });
}
