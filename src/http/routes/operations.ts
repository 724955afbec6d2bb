/** Operations routes, open without a key: health, the OpenAPI document and its HTML rendering. */
import { createHash } from 'node:crypto';
import { HealthResponse } from '../schemas.js';
import { defineRoute } from './route.js';

/**
 * /docs: nothing but its own inline style, allowed by hash; no scripts, no frames, no forms.
 */
export function docsCsp(html: string): string {
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(
    (m) =>
      `'sha256-${createHash('sha256')
        .update(m[1] ?? '', 'utf8')
        .digest('base64')}'`,
  );
  return [
    "default-src 'none'",
    `style-src ${styles.length ? styles.join(' ') : "'none'"}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** The last non-ok detail logged, so a poller does not fill the log with the same line. */
let lastLoggedDetail: string | undefined;

export const operationRoutes = [
  defineRoute({
    method: 'get',
    path: '/health',
    operationId: 'health',
    summary: 'Health (no key needed)',
    description:
      'Always 200. `status` is `ok`, `degraded` (the store is unreachable or the projector is behind) ' +
      'or `unavailable` (the health check itself failed). Without a key that is all it says; with ' +
      'a key (or in open mode) it adds the store, the log position and a detail. The detail is logged.',
    access: 'public',
    tag: 'operations',
    ok: { status: 200, description: 'Health', schema: HealthResponse },
    errors: [],
    async handle({ res }, ctx) {
      const full = await ctx.tracker.health().catch((err: unknown) => {
        ctx.logger.warn({ err }, 'health check failed');
        return { status: 'unavailable' as const, detail: 'the health check failed' };
      });
      if (full.status !== 'ok' && full.detail !== undefined && full.detail !== lastLoggedDetail) {
        ctx.logger.warn({ health: full }, 'health is not ok');
      }
      lastLoggedDetail = full.status === 'ok' ? undefined : full.detail;
      // The detail (internal error text) is for callers with a key, not for anyone who asks.
      res.json(res.locals.actor === undefined ? { status: full.status } : full);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/openapi.json',
    operationId: 'openapi',
    summary: 'This document (no key needed)',
    access: 'public',
    tag: 'operations',
    ok: { status: 200, description: 'OpenAPI 3.1 document', mediaType: 'application/json' },
    errors: [],
    handle({ res }, ctx) {
      res.json(ctx.openApi());
    },
  }),
  defineRoute({
    method: 'get',
    path: '/docs',
    operationId: 'docs',
    summary: 'Readable HTML reference of this document (no key needed)',
    access: 'public',
    tag: 'operations',
    ok: { status: 200, description: 'HTML page', mediaType: 'text/html' },
    errors: [],
    handle({ res }, ctx) {
      res.set('Content-Security-Policy', docsCsp(ctx.docsHtml())).type('html').send(ctx.docsHtml());
    },
  }),
];
