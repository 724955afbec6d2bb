/**
 * Open mode is for this machine only (issue 20, DNS rebinding). Without API keys every client
 * may write, which is safe only while nothing but local programs can reach the server. A web
 * page the local user visits can still send requests through the browser: with DNS rebinding
 * its own host name resolves to 127.0.0.1, so the request arrives with `Host: attacker.example`
 * and a matching `Origin`. In open mode such a request is answered 421 Misdirected Request:
 * - `Host` must be `localhost`, `127.0.0.1` (any 127.x.y.z) or `[::1]` with the port the
 *   request came in on;
 * - an `Origin`, when sent, must be that same local origin (`http://localhost:PORT`, ...).
 * With API keys this check is off: a key, not the network, decides who may write.
 */
import type { RequestHandler } from 'express';
import { HttpProblem } from '../problem.js';

/** `localhost:3000` → true when the port is the server's; a missing port means 80. */
export function isLocalHostHeader(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  // Loopback literals (127.0.0.0/8, [::1]) and `localhost`: names a rebinding page cannot use.
  const m = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::(\d{1,5}))?$/i.exec(host.trim());
  if (!m) return false;
  const given = m[2] === undefined ? 80 : Number(m[2]);
  return given === port;
}

/** `Origin: http://localhost:3000` on a server at port 3000 → true. `null` or another origin → false. */
export function isLocalOrigin(origin: string, port: number): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.pathname !== '/' || url.search || url.username) return false;
  const p = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return p === port && isLocalHostHeader(`${url.hostname}:${p}`, port);
}

export function localOnly(opts: { openMode: boolean }): RequestHandler {
  return (req, _res, next) => {
    if (!opts.openMode) return next();
    const port = req.socket.localPort ?? 0;
    if (!isLocalHostHeader(req.get('host'), port)) {
      return next(
        new HttpProblem(
          'misdirected',
          `Without API keys this server answers only requests to localhost:${port}, 127.0.0.1:${port} or [::1]:${port}.`,
        ),
      );
    }
    const origin = req.get('origin');
    if (origin !== undefined && !isLocalOrigin(origin, port)) {
      return next(
        new HttpProblem(
          'misdirected',
          'Without API keys this server answers no cross-site requests: the Origin is not this server.',
        ),
      );
    }
    next();
  };
}
