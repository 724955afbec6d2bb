/** `commitments rebuild`: drop the read model and project the whole log again. */
import type { Command } from 'commander';
import { common, json, withTracker, type CommandContext, type CommonOptions } from '../context.js';
import { progress } from '../output.js';

export function registerRebuild(program: Command, ctx: CommandContext): void {
  const { out } = ctx;
  common(
    program.command('rebuild').description('drop the read model and rebuild it from the log'),
  ).action(async (o: CommonOptions) => {
    await withTracker(ctx, o, {}, async (tracker) => {
      const bar = progress(out, 'rebuild', await tracker.store.headPosition());
      let r;
      try {
        r = await tracker.rebuildReadModel({ onProgress: (p) => bar.update(p.position) });
      } finally {
        bar.stop();
      }
      out.write(
        o.json
          ? json(r)
          : `rebuilt the read model: ${r.commitments} commitments from ${r.events} events (position ${r.position})\n`,
      );
    });
  });
}
