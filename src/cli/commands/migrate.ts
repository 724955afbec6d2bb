/**
 * `commitments migrate --to TARGET`: copy the log into another store (see ../migrate.ts). The
 * source must exist; the target is created when missing.
 */
import type { Command } from 'commander';
import { common, json, withTracker, type CommandContext, type CommonOptions } from '../context.js';
import { migrate, openTarget } from '../migrate.js';
import { progress } from '../output.js';

const redactUrl = (u: string): string => u.replace(/\/\/[^@/]*@/, '//***@');

export function registerMigrate(program: Command, ctx: CommandContext): void {
  const { out, env, clock } = ctx;
  common(
    program
      .command('migrate')
      .description(
        'copy the whole log into another store (resumable); ids, metadata and hashes are kept',
      )
      .requiredOption('--to <target>', 'esdb:// connection string, or a data directory'),
  ).action(async (o: CommonOptions & { to: string }) => {
    await withTracker(ctx, o, {}, async (tracker, config) => {
      const target = await openTarget(o.to, {
        clock,
        ...(config.eventstoreUrl ? {} : { sourceDataDir: config.dataDir }),
        synchronous: config.sqliteSynchronous,
      });
      try {
        const stopAfter = env['COMMITMENTS_MIGRATE_STOP_AFTER'];
        const bar = progress(out, 'migrate', 0);
        let r;
        try {
          r = await migrate(tracker.store, target, {
            to: redactUrl(o.to),
            progress: bar,
            ...(stopAfter ? { stopAfter: Number(stopAfter), batchSize: 1 } : {}),
          });
        } finally {
          bar.stop();
        }
        out.write(
          o.json
            ? json(r)
            : `migrated ${r.events} events to ${r.to}: ${r.copied} copied, ${r.skipped} already there\n`,
        );
      } finally {
        await target.close();
      }
    });
  });
}
