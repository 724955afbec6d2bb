/**
 * Serves the dashboard (web/, built by `npm run build` into dist/web/) at /app/, before any API
 * key is asked for: the page itself is public, its data comes from the API with the key the user
 * gives. Deep links (/app/commitments/x) get index.html; a missing asset stays a 404. A browser
 * that asks for `/` is sent to /app/; API clients still get the 404 they got before.
 * Every page carries a strict Content-Security-Policy: scripts, styles and requests only from
 * this origin, no inline script.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Application } from 'express';
import { HttpProblem } from './problem.js';

export const WEB_BASE = '/app';

export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** dist/web from the compiled server (dist/src/http) or from the sources (src/http). */
export function findWebDir(): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    path.resolve(here, '..', '..', 'web'),
    path.resolve(here, '..', '..', 'dist', 'web'),
  ];
  return candidates.find((d) => fs.existsSync(path.join(d, 'index.html'))) ?? null;
}

export function mountWebApp(app: Application, opts: { dir?: string | null } = {}): void {
  const dir = opts.dir === undefined ? findWebDir() : opts.dir;

  app.get('/', (req, res, next) => {
    if (req.accepts(['application/json', 'text/html']) === 'text/html')
      return res.redirect(302, `${WEB_BASE}/`);
    next();
  });
  app.get(WEB_BASE, (req, res, next) => {
    if (req.path !== WEB_BASE) return next(); // routing is not strict: /app/ arrives here too
    const q = req.originalUrl.indexOf('?');
    res.redirect(301, `${WEB_BASE}/${q >= 0 ? req.originalUrl.slice(q) : ''}`);
  });

  const router = express.Router({ caseSensitive: true, strict: true });
  if (!dir) {
    router.get('/{*rest}', (_req, _res, next) =>
      next(new HttpProblem('not-found', 'The dashboard is not built: run `npm run build`.')),
    );
    app.use(WEB_BASE, router);
    return;
  }
  router.use(
    express.static(dir, {
      index: false,
      redirect: false,
      fallthrough: true,
      setHeaders(res, file) {
        res.setHeader('Content-Security-Policy', WEB_CSP);
        const hashed = file.includes(`${path.sep}assets${path.sep}`);
        res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  const indexFile = path.join(dir, 'index.html');
  router.get('/{*rest}', (req, res, next) => {
    // A file name that is not there (an old asset) is a 404, not the page.
    if (req.path.startsWith('/assets/') || /\.[a-z0-9]{1,8}$/i.test(req.path)) {
      return next(new HttpProblem('not-found', 'There is no such file.'));
    }
    res
      .set('Content-Security-Policy', WEB_CSP)
      .set('Cache-Control', 'no-cache')
      .type('html')
      .sendFile(indexFile, (err) => {
        if (err) next(err);
      });
  });
  app.use(WEB_BASE, router);
}
