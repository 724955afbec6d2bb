/**
 * The service logger (pino) and the request logger (pino-http). Request logs carry the
 * request id and the actor's name, never the Authorization header or any secret:
 * request serialization is a whitelist, and redaction is configured as a second guard.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, type Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';

export const REDACT_PATHS = [
  'authorization',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'config.apiKeys',
  'apiKeys',
  'secret',
  '*.secret',
];

export function createLogger(opts: {
  level: string;
  destination?: pino.DestinationStream;
}): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'commitments-tracker' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

/** An incoming X-Request-Id is kept when it is short and plain; otherwise a UUID is made. */
export const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestId(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && REQUEST_ID_RE.test(incoming) ? incoming : randomUUID();
}

const LOGGED_HEADERS = [
  'user-agent',
  'content-type',
  'content-length',
  'idempotency-key',
  'if-match',
];

export function requestLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = requestId(req.headers['x-request-id']);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_req, res, err) => {
      if (err || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      return 'info';
    },
    customProps: (_req, res) => {
      const actor = (res as ServerResponse & { locals?: { actor?: { name: string } } }).locals
        ?.actor;
      return actor ? { actor: actor.name } : {};
    },
    serializers: {
      // A whitelist: the Authorization header (and anything else) never reaches the log.
      req: (req: {
        id?: unknown;
        method?: string;
        url?: string;
        headers?: Record<string, unknown>;
        remoteAddress?: string;
      }) => {
        const headers: Record<string, unknown> = {};
        for (const h of LOGGED_HEADERS)
          if (req.headers?.[h] !== undefined) headers[h] = req.headers[h];
        return {
          id: req.id,
          method: req.method,
          url: typeof req.url === 'string' ? req.url.slice(0, 1000) : undefined,
          headers,
          remoteAddress: req.remoteAddress,
        };
      },
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
