/** `commitments replay`: the whole tracker as it was known at an instant, replayed from the log. */
import type { Command } from 'commander';
import { replayKnownAt } from '../../read-model/audit.js';
import {
  common,
  emit,
  json,
  parseAsOf,
  parseKnownAt,
  withTracker,
  type CommandContext,
  type CommonOptions,
} from '../context.js';
import { progress } from '../output.js';
import { viewsTable } from '../render.js';

type ReplayOptions = CommonOptions & { knownAt?: string; asOf?: string; out?: string };

export function registerReplay(program: Command, ctx: CommandContext): void {
  const { out } = ctx;
  common(
    program
      .command('replay')
      .description('the whole tracker as it was known at an instant, replayed from the log')
      .option('--known-at <instant>', 'ISO-8601 instant (default now)')
      .option('--as-of <date>', 'YYYY-MM-DD (default today, UTC)')
      .option('--out <file>', 'write the JSON result to this file'),
  ).action(async (o: ReplayOptions) => {
    const knownAt = parseKnownAt(o.knownAt, ctx.clock);
    const asOf = parseAsOf(o.asOf, ctx.clock);
    await withTracker(ctx, o, {}, async ({ store }) => {
      const bar = progress(out, 'replay', await store.headPosition());
      let result;
      try {
        const readAll: typeof store.readAll = async (opts) => {
          const page = await store.readAll(opts);
          const last = page[page.length - 1];
          if (last) bar.update(last.position);
          return page;
        };
        result = await replayKnownAt({ readAll }, { knownAt, asOf });
      } finally {
        bar.stop();
      }
      if (o.out !== undefined) {
        emit(out, json(result), o.out);
        if (!o.json)
          out.write(
            `replayed ${result.commitments.length} commitments up to position ${result.position} into ${o.out}\n`,
          );
        return;
      }
      out.write(
        o.json
          ? json(result)
          : `known at ${knownAt}, as of ${asOf} (position ${result.position})\n${viewsTable(out, result.commitments)}`,
      );
    });
  });
}
