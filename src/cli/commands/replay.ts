/** `commitments replay`: the whole tracker as it was known at an instant, replayed from the log. */
import type { Command } from 'commander';
import type { CommitmentView } from '../../../projections/types.js';
import { replayJsonChunks } from '../../export/index.js';
import { replayKnownAt } from '../../read-model/audit.js';
import { openReplay } from '../../read-model/replay.js';
import {
  common,
  emitChunks,
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
    await withTracker(ctx, o, {}, async (tracker) => {
      const { store } = tracker;
      if (o.out !== undefined && o.out !== '-') {
        // Streamed into the file as it is folded (issue 18): memory stays flat with the log.
        const { position, views } = await openReplay(store, { knownAt, asOf });
        let commitments = 0;
        async function* counted(): AsyncGenerator<CommitmentView, number, undefined> {
          for (;;) {
            const next = await views.next();
            if (next.done === true) return next.value;
            commitments += 1;
            yield next.value;
          }
        }
        await emitChunks(out, replayJsonChunks({ knownAt, asOf, position }, counted()), o.out);
        if (!o.json)
          out.write(
            `replayed ${commitments} commitments up to position ${position} into ${o.out}\n`,
          );
        return;
      }
      if (o.json || o.out === '-') {
        // Streamed to stdout as it is folded, the same bytes as `json(result)` (issue 18).
        const { position, views } = await openReplay(store, { knownAt, asOf });
        const chunks = replayJsonChunks({ knownAt, asOf, position }, views, { pretty: true });
        await emitChunks(out, chunks, undefined);
        return;
      }
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
      out.write(
        `known at ${knownAt}, as of ${asOf} (position ${result.position})\n${viewsTable(out, result.commitments)}`,
      );
    });
  });
}
