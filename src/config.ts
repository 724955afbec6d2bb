/**
 * Configuration, read from the environment once, validated with zod, and typed.
 * `loadConfig()` throws a `ConfigError` whose message names the offending variable.
 */
import net from 'node:net';
import { z } from 'zod';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * `reader`: every query and export, one commitment's history and the paged log. `recorder`: a
 * reader that also writes. `auditor`: a reader that may also run the whole-log audits
 * (`/audit/verify`, `/audit/replay`); it cannot write.
 */
export const ROLES = ['reader', 'recorder', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKey {
  /** Who the key belongs to; becomes `recordedBy` and the idempotency scope. */
  name: string;
  role: Role;
  secret: string;
}

/** A secret shorter than this is refused at start (`commitments keygen` prints a good one). */
export const MIN_SECRET_LENGTH = 32;

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  eventstoreUrl?: string;
  /** Empty in open mode. */
  apiKeys: ApiKey[];
  /** No API keys: every client is `anonymous` with recorder rights (loopback hosts only). */
  openMode: boolean;
  sqliteSynchronous: 'FULL' | 'NORMAL' | 'OFF';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Time allowed to receive the request headers (slow-header clients are cut off). */
  headersTimeoutMs: number;
  /** Time allowed to receive the whole request. */
  requestTimeoutMs: number;
  /** Idle keep-alive sockets are closed after this. */
  keepAliveTimeoutMs: number;
  /** On SIGTERM, in-flight requests get this long before their connections are closed. */
  shutdownTimeoutMs: number;
  /** Requests per minute one API key may make (per process; see docs/operations.md). */
  rateLimitPerMinute: number;
  /** Failed authentications (401) per 15 minutes from one client address. */
  authFailuresPer15Min: number;
  /** How long a stored response to a keyed write is replayed before it is swept, in hours. */
  idempotencyTtlHours: number;
}

const ms = (def: number) => z.coerce.number().int().min(1).max(3_600_000).default(def);

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  EVENTSTORE_URL: z
    .string()
    .trim()
    .optional()
    .transform((s) => (s ? s : undefined))
    .refine(
      (s) =>
        s === undefined || /^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kdb):\/\//.test(s),
      {
        message: 'must be an esdb:// connection string, e.g. esdb://localhost:2113?tls=false',
      },
    ),
  API_KEYS: z.string().optional(),
  SQLITE_SYNCHRONOUS: z
    .string()
    .default('FULL')
    .transform((s) => s.toUpperCase())
    .pipe(z.enum(['FULL', 'NORMAL', 'OFF'])),
  LOG_LEVEL: z
    .string()
    .default('info')
    .transform((s) => s.toLowerCase())
    .pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  HTTP_HEADERS_TIMEOUT_MS: ms(10_000),
  HTTP_REQUEST_TIMEOUT_MS: ms(30_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: ms(5_000),
  SHUTDOWN_TIMEOUT_MS: ms(10_000),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  AUTH_FAILURES_PER_15_MIN: z.coerce.number().int().min(1).max(1_000_000).default(20),
  IDEMPOTENCY_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 365)
    .default(24),
});

/** True for 127.0.0.0/8, ::1 (also as ::ffff:127.x.y.z) and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.split('.')[0] === '127';
  if (net.isIPv6(h)) {
    if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    return (
      mapped !== null && net.isIPv4(mapped[1] as string) && (mapped[1] as string).startsWith('127.')
    );
  }
  return false;
}

/**
 * `name:role:secret` entries separated by commas. The secret is everything after the
 * second colon, so it may itself contain colons (but not commas).
 */
export function parseApiKeys(raw: string): ApiKey[] {
  const keys: ApiKey[] = [];
  const entries = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  entries.forEach((entry, i) => {
    const first = entry.indexOf(':');
    const second = first < 0 ? -1 : entry.indexOf(':', first + 1);
    // Never echo the entry: it contains a secret.
    if (first < 0 || second < 0) {
      throw new ConfigError(`API_KEYS entry ${i + 1} must be name:role:secret`);
    }
    const name = entry.slice(0, first).trim();
    const role = entry.slice(first + 1, second).trim();
    const secret = entry.slice(second + 1);
    if (!/^[A-Za-z0-9._@-]{1,100}$/.test(name)) {
      throw new ConfigError(
        `API_KEYS entry ${i + 1}: the name must be 1-100 letters, digits, '.', '_', '@' or '-'`,
      );
    }
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new ConfigError(
        `API_KEYS entry ${i + 1} (${name}): the role must be reader, recorder or auditor`,
      );
    }
    if (secret.length === 0 || /\s/.test(secret)) {
      throw new ConfigError(
        `API_KEYS entry ${i + 1} (${name}): the secret must be non-empty and contain no spaces`,
      );
    }
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new ConfigError(
        `API_KEYS entry ${i + 1} (${name}): the secret is ${secret.length} characters; at least ${MIN_SECRET_LENGTH} are needed. ` +
          'Run `commitments keygen` to print a random one.',
      );
    }
    if (keys.some((k) => k.name === name)) {
      throw new ConfigError(`API_KEYS: the name ${name} appears twice`);
    }
    if (keys.some((k) => k.secret === secret)) {
      throw new ConfigError(`API_KEYS entry ${i + 1} (${name}): two keys share one secret`);
    }
    keys.push({ name, role: role as Role, secret });
  });
  return keys;
}

/** Read and validate the configuration. Throws `ConfigError` naming the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const msgs = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${msgs.join('; ')}`);
  }
  const e = parsed.data;
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      'invalid configuration: HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS',
    );
  }
  const apiKeys = e.API_KEYS && e.API_KEYS.trim() ? parseApiKeys(e.API_KEYS) : [];
  const openMode = apiKeys.length === 0;
  if (openMode && !isLoopbackHost(e.HOST)) {
    throw new ConfigError(
      `refusing to start in open mode on HOST=${e.HOST}: without API_KEYS anyone who can reach the server could write. ` +
        `Set API_KEYS="name:role:secret,..." (roles: reader, recorder, auditor) or bind HOST to a loopback address such as 127.0.0.1.`,
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    ...(e.EVENTSTORE_URL ? { eventstoreUrl: e.EVENTSTORE_URL } : {}),
    apiKeys,
    openMode,
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    logLevel: e.LOG_LEVEL,
    headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    authFailuresPer15Min: e.AUTH_FAILURES_PER_15_MIN,
    idempotencyTtlHours: e.IDEMPOTENCY_TTL_HOURS,
  };
}
