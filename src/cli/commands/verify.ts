/** `commitments verify`: the audit; exit 1 when the hash chain or the read model is wrong. */
import type { Command } from 'commander';
import {
  EXIT,
  common,
  json,
  withTracker,
  type CommandContext,
  type CommonOptions,
} from '../context.js';
import { verifyText } from '../render.js';

export function registerVerify(program: Command, ctx: CommandContext): void {
  common(
    program
      .command('verify')
      .description('audit: the hash chain of every stream, and the read model against the log'),
  ).action(async (o: CommonOptions) => {
    await withTracker(ctx, o, { catchUpReadModel: true }, async (tracker) => {
      const report = await tracker.verify();
      ctx.out.write(o.json ? json(report) : verifyText(ctx.out, report));
      if (!report.ok) ctx.setExit(EXIT.problem);
    });
  });
}
