/** Operations routes, open without a key: health, the OpenAPI document and its HTML rendering. */
import { HealthResponse } from '../schemas.js';
import { defineRoute } from './route.js';

export const operationRoutes = [
  defineRoute({
    method: 'get',
    path: '/health',
    operationId: 'health',
    summary: 'Health (no key needed)',
    description:
      '`status` is `degraded` (still 200) when the store is unreachable or the projector is behind.',
    access: 'public',
    tag: 'operations',
    ok: { status: 200, description: 'Health', schema: HealthResponse },
    errors: [],
    async handle({ res }, ctx) {
      try {
        res.json(await ctx.tracker.health());
      } catch (err) {
        ctx.logger.warn({ err }, 'health check failed');
        const store = (ctx.tracker as { storeKind?: string }).storeKind ?? 'sqlite';
        res.json({ status: 'degraded', store, position: 0, detail: 'the store cannot be reached' });
      }
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
      res
        .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
        .type('html')
        .send(ctx.docsHtml());
    },
  }),
];
