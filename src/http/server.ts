/**
 * The HTTP server: opens the application through the `open` function it is given (the
 * composition root's `openTracker`), listens on HOST:PORT with timeouts set against
 * slow clients, and shuts down gracefully on SIGTERM/SIGINT (stop accepting, let in-flight
 * requests finish, close the tracker, exit 0).
 *
 * With EVENTSTORE_URL set and the store unreachable at start, the server does not exit: it
 * logs one clear line, serves `/health` as `degraded` and answers every store route with 503
 * and Retry-After, while it keeps trying to connect in the background (capped backoff).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import type { Config } from '../config.js';
import type { Health, Tracker } from '../app/types.js';
import { StoreUnavailableError } from '../store/errors.js';
import { createApp, type ServedTracker } from './app.js';
import type { ResponseRecords } from './idempotency.js';
import { replayChunksOf, type AuditRunner } from '../app/audit-jobs.js';

export type { ServedTracker } from './app.js';

export interface RunningServer {
  server: http.Server;
  /** `http://host:port` actually bound (useful with PORT=0). */
  url: string;
  /** Stop accepting, finish in-flight requests (bounded by SHUTDOWN_TIMEOUT_MS), close the tracker. */
  close(): Promise<void>;
}

/** A tracker that is not there yet: store routes fail with 503 until `current` is set. */
class PendingTracker implements Tracker {
  current: ServedTracker | null = null;
  lastError = 'connecting';
  constructor(private readonly storeKind: 'sqlite' | 'eventstoredb') {}

  private t(): ServedTracker {
    if (!this.current)
      throw new StoreUnavailableError(`the event store is not reachable yet: ${this.lastError}`, 5);
    return this.current;
  }
  readonly responses: ResponseRecords = {
    get: (scope, key) => this.t().responses.get(scope, key),
    put: (scope, key, record, createdAt, replaceOlderThan) =>
      this.t().responses.put(scope, key, record, createdAt, replaceOlderThan),
    sweep: (before, limit) =>
      this.current ? (this.current.responses.sweep?.(before, limit) ?? 0) : 0,
  };
  record: Tracker['record'] = (b, c) => this.t().record(b, c);
  execute: Tracker['execute'] = (id, k, b, c) => this.t().execute(id, k, b, c);
  get: Tracker['get'] = (id, o) => this.t().get(id, o);
  list: Tracker['list'] = (f) => this.t().list(f);
  overdue: Tracker['overdue'] = (o) => this.t().overdue(o);
  upcoming: Tracker['upcoming'] = (o) => this.t().upcoming(o);
  summary: Tracker['summary'] = (o) => this.t().summary(o);
  history: Tracker['history'] = (id, o) => this.t().history(id, o);
  readonly auditRunner: AuditRunner = {
    verify: () => (this.t().auditRunner ?? this.t()).verify(),
    replay: (o) => (this.t().auditRunner ?? this.t()).replay(o),
    replayJson: (o, signal) => replayChunksOf(this.t().auditRunner ?? this.t(), o, signal),
  };
  replay: Tracker['replay'] = (o) => this.t().replay(o);
  replayViews: Tracker['replayViews'] = (o) => this.t().replayViews(o);
  verify: Tracker['verify'] = () => this.t().verify();
  scorecard: Tracker['scorecard'] = (q) => this.t().scorecard(q);
  partyScorecard: Tracker['partyScorecard'] = (p, q) => this.t().partyScorecard(p, q);
  events: Tracker['events'] = (o) => this.t().events(o);
  async health(): Promise<Health> {
    if (this.current) return this.current.health();
    return {
      status: 'degraded',
      store: this.storeKind,
      position: 0,
      detail: `store unreachable: ${this.lastError}`,
    };
  }
  async close(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.current) await this.current.close();
  }

  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;

  /**
   * Open the application. An external store that cannot be reached is retried in the background
   * (capped backoff) while store routes answer 503; the embedded store failing to open is fatal.
   */
  async connect(
    open: () => Promise<ServedTracker>,
    external: boolean,
    logger: Logger,
  ): Promise<void> {
    try {
      this.current = await open();
      return;
    } catch (err) {
      if (!external) throw err;
      this.lastError = (err as Error).message;
      logger.error(
        { err: { message: (err as Error).message } },
        'EventStoreDB at EVENTSTORE_URL is unreachable; serving /health as degraded and 503 on store routes while retrying',
      );
    }
    let delay = 1000;
    const retry = (): void => {
      this.retryTimer = setTimeout(() => {
        open().then(
          async (t) => {
            if (this.stopped) return t.close();
            this.current = t;
            logger.info('connected to EventStoreDB');
          },
          (e: unknown) => {
            this.lastError = (e as Error).message;
            logger.warn(
              { err: { message: (e as Error).message } },
              `EventStoreDB still unreachable; retrying in ${delay} ms`,
            );
            delay = Math.min(delay * 2, 30_000);
            if (!this.stopped) retry();
          },
        );
      }, delay);
      this.retryTimer.unref();
    };
    retry();
  }
}

/** Requests Node's parser rejects never reach the app; answer them as problem+json too. */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, title] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request Timeout']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large']
        : [400, 'Bad Request'];
  const body = JSON.stringify({
    type: 'about:blank',
    title,
    status,
    detail: status === 400 ? 'The request is not valid HTTP/1.1.' : title,
  });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** The node server with its timeouts; once `shuttingDown()` is true, answers close their connection. */
function httpServer(
  app: http.RequestListener,
  config: Config,
  shuttingDown: () => boolean,
): http.Server {
  const server = http.createServer(
    {
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      keepAliveTimeout: config.keepAliveTimeoutMs,
      // Check the two timeouts above every second instead of the default 30 s.
      connectionsCheckingInterval: 1000,
    },
    (req, res) => {
      // A response written after shutdown began closes its connection, so keep-alive clients move on.
      const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => http.ServerResponse;
      res.writeHead = ((...args: unknown[]) => {
        if (shuttingDown() && !res.headersSent) res.setHeader('Connection', 'close');
        return writeHead(...args);
      }) as typeof res.writeHead;
      app(req, res);
    },
  );
  server.on('clientError', answerClientError);
  // An idle socket (no bytes either way) is closed after the request timeout too.
  server.setTimeout(config.requestTimeoutMs);
  server.maxHeadersCount = 100;
  return server;
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function handleSignals(close: () => Promise<void>, logger: Logger): void {
  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'shutting down');
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

export async function startServer(opts: {
  config: Config;
  logger: Logger;
  clock: Clock;
  /** Opens the application (the composition root's `openTracker`); retried while it fails. */
  open: () => Promise<ServedTracker>;
  /** Install SIGTERM/SIGINT handlers that close and exit (default true). */
  handleSignals?: boolean;
}): Promise<RunningServer> {
  const { config, logger, clock } = opts;
  const tracker = new PendingTracker(config.eventstoreUrl ? 'eventstoredb' : 'sqlite');
  await tracker.connect(opts.open, Boolean(config.eventstoreUrl), logger);
  if (config.openMode) {
    logger.warn(
      { host: config.host },
      'open mode: no API_KEYS, every client may read and write as "anonymous"',
    );
  }

  let shuttingDown = false;
  const server = httpServer(
    createApp({ tracker, config, logger, clock }),
    config,
    () => shuttingDown,
  );
  await listen(server, config.port, config.host).catch(async (err: unknown) => {
    await tracker.close();
    throw err;
  });

  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}`;
  logger.info(
    { url, store: config.eventstoreUrl ? 'eventstoredb' : 'sqlite', dataDir: config.dataDir },
    'listening',
  );

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      shuttingDown = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => {
        logger.warn('shutdown timeout: closing the remaining connections');
        server.closeAllConnections();
      }, config.shutdownTimeoutMs);
      timer.unref();
      await closed;
      clearTimeout(timer);
      await tracker.close();
      logger.info('stopped');
    })();
    return closing;
  };
  if (opts.handleSignals ?? true) handleSignals(close, logger);
  return { server, url, close };
}
