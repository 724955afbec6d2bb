/**
 * What the follow-up verbs (`progress`, `review`, `outcome`, `withdraw`, `revise-deadline`)
 * share: the `--source` options, building the body from the options, validating it with the
 * same zod schema as `POST /commitments/{id}/<command>` and printing its field errors as
 * `record` and `import` do (`path: message`, exit 2, nothing written), then running the command.
 */
import type { Command } from 'commander';
import type { z } from 'zod';
import { utcDate } from '../../domain/clock.js';
import { CommitmentCommandBodies, type CommitmentCommandName } from '../../domain/commands.js';
import { fieldErrors } from '../../shared/field-errors.js';
import type { CommandBody } from '../../app/types.js';
import {
  EXIT,
  cliUser,
  common,
  json,
  withTracker,
  type CommandContext,
  type CommonOptions,
} from '../context.js';
import { paint } from '../output.js';

export interface SourceOptions {
  source?: string;
  sourceDate?: string;
  sourceUrl?: string;
  sourceTitle?: string;
}

/** `--source PUBLISHER [--source-date D] [--source-url U] [--source-title T]`, and the common options. */
export function followUpOptions(cmd: Command): Command {
  return common(
    cmd
      .option('--source <publisher>', 'who published the report this is based on')
      .option('--source-date <date>', "the source's publication date (default: the command's date)")
      .option('--source-url <url>', "the source's URL")
      .option('--source-title <title>', "the source's title"),
  );
}

/** The `source` of a body, when any `--source…` option is given; zod names what is missing. */
export function sourceOf(o: SourceOptions, date: unknown): Record<string, unknown> | undefined {
  if (
    o.source === undefined &&
    o.sourceDate === undefined &&
    o.sourceUrl === undefined &&
    o.sourceTitle === undefined
  )
    return undefined;
  return {
    ...(o.source !== undefined ? { publisher: o.source } : {}),
    publishedAt: o.sourceDate ?? date,
    ...(o.sourceUrl !== undefined ? { url: o.sourceUrl } : {}),
    ...(o.sourceTitle !== undefined ? { title: o.sourceTitle } : {}),
  };
}

/** A number given on the command line; anything else is passed on for zod to name. */
export function numberArg(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) ? n : value;
}

/** Today (UTC) from the command's clock: the default date of a review, outcome or withdrawal. */
export const todayOf = (ctx: CommandContext): string => utcDate(ctx.clock.now());

/** Drop the keys whose value is undefined, so that zod reports a missing field as missing. */
export function defined(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

/**
 * Validate `raw` with the HTTP body schema of `command` and run it on commitment `id`. Field
 * errors are printed one per line, `path: message`, and the exit code is 2.
 */
export async function runFollowUp<K extends CommitmentCommandName>(
  ctx: CommandContext,
  o: CommonOptions,
  id: string,
  command: K,
  raw: Record<string, unknown>,
  done: string,
): Promise<void> {
  const { out } = ctx;
  const schema = CommitmentCommandBodies[command] as unknown as z.ZodType<CommandBody<K>>;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const f of fieldErrors(parsed.error.issues, raw))
      out.error(f.path ? `${f.path}: ${f.message}` : f.message);
    ctx.setExit(EXIT.usage);
    return;
  }
  await withTracker(ctx, o, { catchUpReadModel: true }, async (tracker) => {
    const r = await tracker.execute(id, command, parsed.data, { recordedBy: cliUser(ctx.env) });
    out.write(
      o.json
        ? json(r.view)
        : `${done} on ${paint(out, 'bold', r.view.id)} (revision ${r.revision}; status ${r.view.status})\n`,
    );
  });
}
