/**
 * `commitments record FILE`: one commitment; the body is checked before a store is opened or
 * created. `--help` lists the body's fields with an example; `--template` prints a body to fill in.
 */
import type { Command } from 'commander';
import { RecordCommitmentBody } from '../../domain/commands.js';
import { fieldErrors } from '../../shared/field-errors.js';
import {
  EXIT,
  UsageError,
  cliUser,
  common,
  json,
  readInput,
  withTracker,
  type CommandContext,
  type CommonOptions,
} from '../context.js';
import { paint } from '../output.js';
import { RECORD_TEMPLATE, recordHelpText } from './record-help.js';

export function registerRecord(program: Command, ctx: CommandContext): void {
  const { out } = ctx;
  common(
    program
      .command('record')
      .argument('[file]', 'JSON body as for POST /commitments, or - for stdin')
      .description('record one commitment')
      .option('--template', 'print a body to fill in (it records as it is), and record nothing')
      .addHelpText('after', recordHelpText()),
  ).action(async (file: string | undefined, o: CommonOptions & { template?: boolean }) => {
    if (o.template) {
      out.write(json(RECORD_TEMPLATE));
      return;
    }
    if (file === undefined)
      throw new UsageError(
        'record: give a FILE, or - for stdin (record --template prints a body to fill in)',
      );
    const text = readInput(file);
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new UsageError(`${file}: invalid JSON: ${(err as Error).message}`);
    }
    const parsed = RecordCommitmentBody.safeParse(raw);
    if (!parsed.success) {
      for (const f of fieldErrors(parsed.error.issues, raw))
        out.error(f.path ? `${f.path}: ${f.message}` : f.message);
      ctx.setExit(EXIT.usage);
      return;
    }
    await withTracker(ctx, o, { create: true }, async (tracker) => {
      const r = await tracker.record(parsed.data, { recordedBy: cliUser(ctx.env) });
      out.write(
        o.json
          ? json(r.view)
          : `recorded ${paint(out, 'bold', r.view.id)} (revision ${r.revision})\n`,
      );
    });
  });
}
