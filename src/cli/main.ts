/**
 * The `commitments` command line (commander 14): assembles the commands of `commands/`. It
 * works on DATA_DIR (or --data-dir) or on EVENTSTORE_URL directly, with the same settings as
 * the server.
 *
 * Exit codes: 0 ok; 1 the audit found a problem (or an unexpected failure); 2 usage error
 * (arguments, invalid input, a domain rule); 3 the store is unavailable, or there is none.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';

import { systemClock } from '../clock.js';
import {
  DomainError,
  InvalidInputError,
  NotFoundError,
  PreconditionFailedError,
} from '../domain/errors.js';
import {
  ChainMismatchError,
  DuplicateEventError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '../store/errors.js';
import { EXIT, NoStoreError, UsageError, type CliEnv, type CommandContext } from './context.js';
import { createOut, type Out } from './output.js';
import { registerExport } from './commands/export.js';
import { registerExtract } from './commands/extract.js';
import { registerImport } from './commands/import.js';
import { registerList } from './commands/list.js';
import { registerKeygen } from './commands/keygen.js';
import { registerMigrate } from './commands/migrate.js';
import { registerOutcome } from './commands/outcome.js';
import { registerOverdue } from './commands/overdue.js';
import { registerProgress } from './commands/progress.js';
import { registerRebuild } from './commands/rebuild.js';
import { registerRecord } from './commands/record.js';
import { registerReplay } from './commands/replay.js';
import { registerReview } from './commands/review.js';
import { registerReviseDeadline } from './commands/revise-deadline.js';
import { registerServe } from './commands/serve.js';
import { registerShow } from './commands/show.js';
import { registerScorecard } from './commands/scorecard.js';
import { registerSummary } from './commands/summary.js';
import { registerUpcoming } from './commands/upcoming.js';
import { registerVerify } from './commands/verify.js';
import { registerWithdraw } from './commands/withdraw.js';

export type { CliEnv } from './context.js';

/** Set when `serve` is running: the process must stay up after `run` returns. */
let serving = false;

/** In the order `--help` lists them. */
const COMMANDS = [
  registerServe,
  registerRecord,
  registerProgress,
  registerReview,
  registerOutcome,
  registerWithdraw,
  registerReviseDeadline,
  registerImport,
  registerExtract,
  registerExport,
  registerList,
  registerSummary,
  registerOverdue,
  registerUpcoming,
  registerScorecard,
  registerShow,
  registerReplay,
  registerVerify,
  registerRebuild,
  registerMigrate,
  registerKeygen,
];

export function buildProgram(env: CliEnv, setExit: (code: number) => void): Command {
  const program = new Command('commitments');
  program
    .description(
      'Track what states promise each other: record, follow up, see what is overdue, audit.',
    )
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => env.out.write(s),
      writeErr: (s) => process.stderr.write(s),
    });
  const ctx: CommandContext = {
    ...env,
    setExit,
    setServing: () => {
      serving = true;
    },
  };
  for (const register of COMMANDS) register(program, ctx);
  return program;
}

/** Map an error to an exit code, with a one-line reason on stderr. */
export function exitCodeOf(err: unknown, out: Out): number {
  if (err instanceof CommanderError) {
    if (
      err.exitCode === 0 ||
      err.code === 'commander.helpDisplayed' ||
      err.code === 'commander.version'
    )
      return EXIT.ok;
    return EXIT.usage; // commander has printed its message
  }
  if (err instanceof StoreUnavailableError) {
    out.error(`store unavailable: ${err.message}`);
    return EXIT.unavailable;
  }
  if (err instanceof NoStoreError) {
    out.error(err.message);
    return EXIT.unavailable;
  }
  if (err instanceof UsageError) {
    out.error(err.message);
    return EXIT.usage;
  }
  if (err instanceof InvalidInputError) {
    out.error(err.path ? `${err.path}: ${err.message}` : err.message);
    return EXIT.usage;
  }
  if (
    err instanceof DomainError ||
    err instanceof NotFoundError ||
    err instanceof PreconditionFailedError ||
    err instanceof WrongExpectedRevisionError ||
    err instanceof DuplicateEventError ||
    err instanceof ChainMismatchError
  ) {
    out.error(err.message);
    return EXIT.usage;
  }
  out.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  return EXIT.problem;
}

/** Run the CLI with `argv` (as process.argv). Resolves to the exit code. */
export async function run(
  argv: readonly string[],
  ctx: CliEnv = { env: process.env, clock: systemClock, out: createOut() },
): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(ctx, (c) => {
    code = c;
  });
  if (argv.length <= 2) {
    program.outputHelp();
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    return exitCodeOf(err, ctx.out);
  }
  return code;
}

/** Entry point: `node dist/src/cli/main.js …` and bin/commitments.js. */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  const code = await run(argv);
  if (serving) return; // the server keeps the process alive; it exits on SIGTERM/SIGINT
  process.exitCode = code;
  // Lingering client handles (EventStoreDB) must not keep a finished command alive.
  setImmediate(() => process.exit(code)).unref();
}

const isEntry = (() => {
  try {
    return (
      process.argv[1] !== undefined &&
      fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)
    );
  } catch {
    return false;
  }
})();
if (isEntry) void main();
