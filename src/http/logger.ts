/**
 * The service logger (pino) and the request logger (a small middleware; see below). Request logs carry the
 * request id and the actor's name, never the Authorization header or any secret:
 * request serialization is a whitelist, and redaction is configured as a second guard.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, type Logger } from 'pino';

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

type LoggedRequest = IncomingMessage & { id?: unknown; log?: Logger };
type LoggedResponse = ServerResponse & { locals?: { actor?: { name: string } } };

/** The whitelisted request fields of the log line: the Authorization header never gets in. */
function serializeReq(req: LoggedRequest): Record<string, unknown> {
  const headers: Record<string, unknown> = {};
  for (const h of LOGGED_HEADERS) if (req.headers[h] !== undefined) headers[h] = req.headers[h];
  return {
    id: req.id,
    method: req.method,
    url: typeof req.url === 'string' ? req.url.slice(0, 1000) : undefined,
    headers,
    remoteAddress: req.socket?.remoteAddress,
  };
}

/**
 * The request logger: gives each request its id (`req.id`, and the X-Request-Id response header)
 * and writes ONE structured line when the response is done, in the shape pino-http used
 * (`req` whitelisted, `res.statusCode`, `responseTime` in ms, `actor`, msg "request completed";
 * "request aborted" when the client went away first). Level: error for 5xx, warn for 4xx, info
 * otherwise. It replaces pino-http, which built a child logger (bindings serialised, redaction
 * prepared) for every request even when nothing was logged; here the line is built only when its
 * level is enabled, through the service logger, so its redaction paths still apply.
 */
export function requestLogger(
  logger: Logger,
): (req: LoggedRequest, res: ServerResponse, next: () => void) => void {
  return (req, res, next) => {
    const id = requestId(req.headers['x-request-id']);
    res.setHeader('X-Request-Id', id);
    req.id = id;
    if (logger.isLevelEnabled('error')) {
      const start = Date.now();
      res.once('close', () => {
        const status = res.statusCode;
        const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
        if (!logger.isLevelEnabled(level)) return;
        const actor = (res as LoggedResponse).locals?.actor;
        logger[level](
          {
            req: serializeReq(req),
            res: { statusCode: status },
            responseTime: Date.now() - start,
            ...(actor ? { actor: actor.name } : {}),
          },
          res.writableFinished ? 'request completed' : 'request aborted',
        );
      });
    }
    next();
  };
}
