/**
 * `commitments list [--status S] [--party P] [--kind K] [--tag T] [--assessment A] [--overdue] [--as-of D]
 * [--limit N]`: the commitments, in id order, paged from the read model as `GET /commitments` is. The filters are
 * checked with the domain's schemas (those `GET /commitments` uses) and a bad one is reported as
 * `field: message`, exit 2. `--limit` defaults to 50 when stdout is a terminal (every commitment
 * otherwise); stderr says when more are not shown.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { STATUSES } from '../../../projections/types.js';
import type { CommitmentView } from '../../../projections/types.js';
import { ASSESSMENTS, AssessmentOrNone, IsoDate, Kind, Party, Tag } from '../../domain/values.js';
import { fieldErrors } from '../../shared/field-errors.js';
import {
  EXIT,
  common,
  json,
  withTracker,
  type CommandContext,
  type CommonOptions,
} from '../context.js';
import { viewsTable } from '../render.js';
import { defined, todayOf } from './follow-up.js';

/** Commitments shown on a terminal when `--limit` is not given. */
export const TERMINAL_LIMIT = 50;
/** Page size asked of the read model. */
const PAGE = 500;

const ListOptions = z.strictObject({
  status: z.enum(STATUSES).optional(),
  party: Party.optional(),
  kind: Kind.optional(),
  tag: Tag.optional(),
  assessment: AssessmentOrNone.optional(),
  overdue: z.boolean().optional(),
  asOf: IsoDate,
  limit: z.coerce.number().int().min(1).max(1_000_000).optional(),
});

type Options = CommonOptions & {
  status?: string;
  party?: string;
  kind?: string;
  tag?: string;
  assessment?: string;
  asOf?: string;
  limit?: string;
  overdue?: boolean;
};

export function registerList(program: Command, ctx: CommandContext): void {
  const { out } = ctx;
  common(
    program
      .command('list')
      .description('the commitments, filtered, in id order')
      .option('--status <status>', `one of ${STATUSES.join(', ')}`)
      .option('--party <party>', 'only commitments of this party')
      .option('--kind <kind>', 'only commitments of this kind')
      .option('--tag <tag>', 'only commitments with this tag')
      .option(
        '--assessment <a>',
        `the latest review's assessment: ${ASSESSMENTS.join(', ')}, or none (not reviewed)`,
      )
      .option(
        '--overdue',
        'only commitments with a deadline or follow-up overdue at the as-of date',
      )
      .option('--as-of <date>', 'YYYY-MM-DD the timing is computed for (default today, UTC)')
      .option('--limit <n>', 'show at most n (default 50 on a terminal, else all)'),
  ).action(async (o: Options) => {
    const raw = defined({
      status: o.status,
      party: o.party,
      kind: o.kind,
      tag: o.tag,
      assessment: o.assessment,
      overdue: o.overdue,
      asOf: o.asOf ?? todayOf(ctx),
      limit: o.limit,
    });
    const parsed = ListOptions.safeParse(raw);
    if (!parsed.success) {
      for (const f of fieldErrors(parsed.error.issues, raw))
        out.error(f.path ? `--${kebab(f.path)}: ${f.message}` : f.message);
      ctx.setExit(EXIT.usage);
      return;
    }
    const { limit: given, ...filter } = parsed.data;
    const limit = given ?? (process.stdout.isTTY === true ? TERMINAL_LIMIT : undefined);
    await withTracker(ctx, o, { catchUpReadModel: true }, async (tracker) => {
      const items: CommitmentView[] = [];
      let cursor: string | undefined;
      let total: number | undefined;
      let more = false;
      for (;;) {
        const want = limit === undefined ? PAGE : Math.min(PAGE, limit - items.length);
        const page = await tracker.list({
          ...filter,
          limit: want,
          ...(cursor !== undefined ? { cursor } : {}),
        });
        if (total === undefined && 'total' in page && typeof page.total === 'number')
          total = page.total;
        items.push(...page.items);
        if (page.nextCursor === null) break;
        if (limit !== undefined && items.length >= limit) {
          more = true;
          break;
        }
        cursor = page.nextCursor;
      }
      out.write(
        o.json
          ? json({ asOf: filter.asOf, items, ...(total !== undefined ? { total } : {}) })
          : viewsTable(out, items),
      );
      if (more)
        out.error(
          total !== undefined
            ? `${total - items.length} more not shown (${total} in all); use --limit ${total} to see them`
            : `more not shown; raise --limit to see them`,
        );
    });
  });
}

const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
