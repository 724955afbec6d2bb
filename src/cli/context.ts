/**
 * What every CLI command shares: the settings (the server's environment variables, with
 * `--data-dir` over DATA_DIR), opening and closing the tracker (`withTracker`, the one place
 * that refuses a data dir without a store), option parsing, output (`emitChunks` for stdout
 * and `--out`) and the exit codes.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig, ConfigError, type Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import { utcDate } from '../domain/clock.js';
import { Instant, IsoDate, IsoDuration } from '../domain/values.js';
import { dataFile, openTracker, type OpenTracker } from '../bootstrap.js';
import type { Out } from './output.js';

export const EXIT = {
  ok: 0,
  /** The audit found a problem (verify). Also any unexpected failure. */
  problem: 1,
  /** Usage error: bad arguments, bad input, a rule of the domain. */
  usage: 2,
  /** The event store cannot be reached or opened. */
  unavailable: 3,
} as const;

/** An error the user can fix: printed as is, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The data dir holds no store and the command may not create one: exit 3, nothing written. */
export class NoStoreError extends Error {
  override readonly name = 'NoStoreError';
  constructor(dataDir: string) {
    super(
      `no store at ${path.resolve(dataDir)} (set DATA_DIR or --data-dir; a store is created by serve, record or import)`,
    );
  }
}

export interface CommonOptions {
  json?: boolean;
  dataDir?: string;
}

/**
 * The configuration from the environment. Commands other than `serve` do not listen, so HOST,
 * PORT and API_KEYS do not concern them and are not checked.
 */
export function cliConfig(opts: CommonOptions, env: NodeJS.ProcessEnv, serving: boolean): Config {
  const e: NodeJS.ProcessEnv = { ...env };
  if (opts.dataDir !== undefined) e['DATA_DIR'] = opts.dataDir;
  if (!serving) {
    e['HOST'] = '127.0.0.1';
    delete e['PORT'];
    delete e['API_KEYS'];
  }
  try {
    return loadConfig(e);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}

/**
 * Refuse a data dir without an embedded store before anything is opened, so that a mistyped
 * path is reported instead of becoming an empty store. A remote EventStoreDB is not checked
 * here: its data dir only holds the local read model.
 */
export function requireStore(config: Config): void {
  if (config.eventstoreUrl) return;
  if (!fs.existsSync(dataFile(config.dataDir))) throw new NoStoreError(config.dataDir);
}

/**
 * Open the tracker on the configured store; only with `create` may a missing store be made.
 * On EventStoreDB, reach the store once now (so an
 * unreachable one fails fast with StoreUnavailableError) and, with `catchUpReadModel`, bring
 * the local read model up to the log's head before answering.
 */
export async function openCliTracker(
  config: Config,
  clock: Clock,
  opts: { catchUpReadModel?: boolean; create?: boolean } = {},
): Promise<OpenTracker> {
  if (!opts.create) requireStore(config);
  const tracker = await openTracker({
    dataDir: config.dataDir,
    ...(config.eventstoreUrl ? { eventstoreUrl: config.eventstoreUrl } : {}),
    clock,
    synchronous: config.sqliteSynchronous,
  });
  if (tracker.storeKind === 'eventstoredb') {
    try {
      await tracker.store.headPosition();
      if (opts.catchUpReadModel) await tracker.catchUpReadModel();
    } catch (err) {
      await tracker.close().catch(() => undefined);
      throw err;
    }
  }
  return tracker;
}

export function parseAsOf(value: string | undefined, clock: Clock): string {
  if (value === undefined) return utcDate(clock.now());
  const r = IsoDate.safeParse(value);
  if (!r.success)
    throw new UsageError(`--as-of: ${value} must be a real calendar date as YYYY-MM-DD`);
  return r.data;
}

export function parseKnownAt(value: string | undefined, clock: Clock): string {
  if (value === undefined) return clock.now().toISOString();
  const r = Instant.safeParse(value);
  if (!r.success) {
    throw new UsageError(
      `--known-at: ${value} must be an ISO-8601 instant with a time zone, e.g. 2025-11-15T10:00:00.000Z`,
    );
  }
  return r.data;
}

export function parseWithin(value: string | undefined): string {
  const v = value ?? 'P30D';
  const r = IsoDuration.safeParse(v);
  if (!r.success)
    throw new UsageError(`--within: ${v} must be a positive ISO-8601 duration such as P30D`);
  return r.data;
}

/** Read a file, or stdin for `-`. */
export function readInput(file: string): string {
  try {
    return fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

/** Who the CLI records as `recordedBy`. */
export function cliUser(env: NodeJS.ProcessEnv): string {
  const u = env['COMMITMENTS_USER'] ?? env['USER'] ?? env['USERNAME'];
  return u && /^[A-Za-z0-9._@-]{1,100}$/.test(u) ? `cli:${u}` : 'cli';
}

/** What a command needs from the process: its environment, the clock and the terminal. */
export interface CliEnv {
  env: NodeJS.ProcessEnv;
  clock: Clock;
  out: Out;
}

/** A command's view of the run: the process, and how to set the exit code or keep it alive. */
export interface CommandContext extends CliEnv {
  setExit(code: number): void;
  /** `serve`: the process must stay up after the command returns. */
  setServing(): void;
}

/** The options every command takes. */
export function common(cmd: Command): Command {
  return cmd
    .option('--json', 'machine-readable JSON output')
    .option('--data-dir <dir>', 'data directory (default: $DATA_DIR, else ./data)');
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

const cannotWrite = (file: string, err: unknown): UsageError =>
  new UsageError(
    `cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
  );

/**
 * Write the chunks to stdout (waiting while a slow reader, a pipe, has not taken the last one,
 * so memory stays flat), or to `--out` through a temporary file renamed at the end, so an
 * interrupted or failed export leaves no half-written file. File writes are synchronous, one
 * chunk at a time; a file that cannot be written is a UsageError (exit 2).
 */
export async function emitChunks(
  out: Out,
  chunks: AsyncIterable<string>,
  file: string | undefined,
): Promise<void> {
  if (file === undefined || file === '-') {
    for await (const chunk of chunks) {
      out.write(chunk);
      if (process.stdout.writableNeedDrain) await once(process.stdout, 'drain');
    }
    return;
  }
  const tmp = `${file}.tmp-${process.pid}`;
  let fd: number;
  try {
    fd = fs.openSync(tmp, 'w');
  } catch (err) {
    throw cannotWrite(file, err);
  }
  let done = false;
  try {
    for await (const chunk of chunks) {
      try {
        fs.writeSync(fd, chunk);
      } catch (err) {
        throw cannotWrite(file, err);
      }
    }
    fs.closeSync(fd);
    done = true;
    try {
      fs.renameSync(tmp, file);
    } catch (err) {
      throw cannotWrite(file, err);
    }
  } finally {
    if (!done) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Run `fn` on the tracker of the command's settings and close it afterwards, whatever happens.
 * The store must exist unless `create` is set (see `requireStore`).
 */
export async function withTracker<T>(
  ctx: CliEnv,
  o: CommonOptions,
  opts: { catchUpReadModel?: boolean; create?: boolean },
  fn: (tracker: OpenTracker, config: Config) => Promise<T>,
): Promise<T> {
  const config = cliConfig(o, ctx.env, false);
  const tracker = await openCliTracker(config, ctx.clock, opts);
  try {
    return await fn(tracker, config);
  } finally {
    await tracker.close();
  }
}
