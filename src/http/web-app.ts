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
import type { Application, NextFunction, Request, Response } from 'express';
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

/**
 * Mounted as middleware, not as routes: the dashboard is not an operation of the API, so it
 * stays out of the route table and /openapi.json. Only GET and HEAD are answered here.
 */
export function mountWebApp(app: Application, opts: { dir?: string | null } = {}): void {
  const dir = opts.dir === undefined ? findWebDir() : opts.dir;
  const isRead = (req: Request): boolean => req.method === 'GET' || req.method === 'HEAD';

  app.use((req, res, next) => {
    if (!isRead(req)) return next();
    if (req.path === '/' && req.accepts(['application/json', 'text/html']) === 'text/html') {
      return res.redirect(302, `${WEB_BASE}/`);
    }
    if (req.path === WEB_BASE) {
      const q = req.originalUrl.indexOf('?');
      return res.redirect(301, `${WEB_BASE}/${q >= 0 ? req.originalUrl.slice(q) : ''}`);
    }
    next();
  });

  if (!dir) {
    app.use(WEB_BASE, (req, _res, next) =>
      next(
        isRead(req)
          ? new HttpProblem('not-found', 'The dashboard is not built: run `npm run build`.')
          : undefined,
      ),
    );
    return;
  }
  const files = express.static(dir, {
    index: false,
    redirect: false,
    fallthrough: true,
    setHeaders(res, file) {
      res.setHeader('Content-Security-Policy', WEB_CSP);
      const hashed = file.includes(`${path.sep}assets${path.sep}`);
      res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const indexFile = path.join(dir, 'index.html');
  app.use(WEB_BASE, files, (req: Request, res: Response, next: NextFunction) => {
    if (!isRead(req)) return next();
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
}
