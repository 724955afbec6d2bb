/** `commitments import FILE`: plan the whole file, then write it, or write nothing (see import/plan.ts). */
import type { Command } from 'commander';
import { utcDate } from '../../domain/clock.js';
import {
  EXIT,
  cliUser,
  common,
  json,
  readInput,
  withTracker,
  type CommandContext,
  type CommonOptions,
} from '../context.js';
import { applyImport } from '../import/apply.js';
import { planImport } from '../import/plan.js';
import { formatLineError, type ImportPlan } from '../import/types.js';
import { progress } from '../output.js';

function summaryLine(
  plan: ImportPlan,
  s: { imported: number; events: number; invalid: number },
): string {
  return (
    `imported ${s.imported} of ${plan.entries} ${plan.format === 'events' ? 'events' : 'entries'} ` +
    `(${s.events} events written, ${plan.present} already present, ${s.invalid} invalid)\n`
  );
}

export function registerImport(program: Command, ctx: CommandContext): void {
  const { out } = ctx;
  common(
    program
      .command('import')
      .argument(
        '<file>',
        'NDJSON or a JSON array of commitment bodies or commands, or an NDJSON event export; - for stdin',
      )
      .option('--skip-invalid', 'skip invalid lines (and report them) instead of stopping')
      .description('import commitments or an event export (idempotent)'),
  ).action(async (file: string, o: CommonOptions & { skipInvalid?: boolean }) => {
    const text = readInput(file);
    await withTracker(ctx, o, { create: true }, async (tracker) => {
      const plan = await planImport(text, tracker.store, { today: utcDate(ctx.clock.now()) });
      for (const e of plan.invalid)
        out.error(`${formatLineError(e)}${o.skipInvalid ? ' (skipped)' : ''}`);
      const invalid = new Set(plan.invalid.map((e) => e.where)).size;
      if (invalid > 0 && !o.skipInvalid) {
        out.error(`${invalid} invalid line(s): nothing was imported`);
        ctx.setExit(EXIT.usage);
        return;
      }
      const bar = progress(out, 'import', plan.writes.length);
      let result;
      try {
        result = await applyImport(plan, tracker, { recordedBy: cliUser(ctx.env), progress: bar });
      } finally {
        bar.stop();
      }
      const summary = {
        format: plan.format,
        entries: plan.entries,
        imported: result.imported,
        events: result.events,
        present: plan.present,
        invalid,
      };
      out.write(o.json ? json(summary) : summaryLine(plan, summary));
    });
  });
}
