/** `commitments show ID`: one commitment, optionally with its events, optionally as once known. */
import type { Command } from 'commander';
import { NotFoundError } from '../../domain/errors.js';
import { historyEntry } from '../../export/index.js';
import type { StoredEvent } from '../../store/port.js';
import {
  common,
  json,
  parseAsOf,
  parseKnownAt,
  withTracker,
  type CommandContext,
  type CommonOptions,
} from '../context.js';
import { historyTable, showView } from '../render.js';

type ShowOptions = CommonOptions & { history?: boolean; asOf?: string; knownAt?: string };

export function registerShow(program: Command, ctx: CommandContext): void {
  const { out } = ctx;
  common(
    program
      .command('show')
      .argument('<id>', 'commitment id')
      .description('one commitment (and its history)')
      .option('--history', 'also list its events')
      .option('--as-of <date>', 'YYYY-MM-DD (default today, UTC)')
      .option('--known-at <instant>', 'as the tracker knew it at this instant'),
  ).action(async (id: string, o: ShowOptions) => {
    const asOf = parseAsOf(o.asOf, ctx.clock);
    const knownAt = o.knownAt !== undefined ? parseKnownAt(o.knownAt, ctx.clock) : undefined;
    await withTracker(ctx, o, { catchUpReadModel: true }, async (tracker) => {
      const view = await tracker.get(id, { asOf, ...(knownAt ? { knownAt } : {}) });
      if (!view)
        throw new NotFoundError(`no commitment ${id}${knownAt ? ` known at ${knownAt}` : ''}`);
      let events: StoredEvent[] = [];
      if (o.history) {
        events = (await tracker.history(id)) ?? [];
        if (knownAt)
          events = events.filter((e) => Date.parse(e.metadata.recordedAt) <= Date.parse(knownAt));
      }
      if (o.json) {
        out.write(json(o.history ? { view, events: events.map(historyEntry) } : view));
        return;
      }
      out.write(showView(out, view));
      if (o.history) out.write(`\n${historyTable(out, events)}`);
    });
  });
}
