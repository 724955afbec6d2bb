import { Validator } from '@seriousme/openapi-schema-validator';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../src/http/openapi.js';
import { ROUTES } from '../../src/http/routes/index.js';
import { harness, type Harness } from './helpers.js';

/** Routes registered on the express app, as `METHOD /path/{param}`. */
function expressRoutes(app: Harness['app']): string[] {
  const out: string[] = [];
  const walk = (
    stack: Array<{
      route?: { path: string; methods: Record<string, boolean> };
      handle?: { stack?: unknown[] };
    }>,
  ) => {
    for (const layer of stack) {
      if (layer.route && !layer.route.methods.acl) {
        // (routes registered with .all for the wrong-method 404 carry every method, acl included)
        for (const m of Object.keys(layer.route.methods)) {
          if (m !== '_all')
            out.push(`${m.toUpperCase()} ${layer.route.path.replace(/:([A-Za-z]+)/g, '{$1}')}`);
        }
      } else if (!layer.route && layer.handle?.stack) walk(layer.handle.stack as typeof stack);
    }
  };
  walk(
    (app as unknown as { router: { stack: typeof walk extends (s: infer S) => void ? S : never } })
      .router.stack,
  );
  return out;
}

describe('OpenAPI', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('is valid JSON, OpenAPI 3.1, and lists every route of the app with its responses', async () => {
    const res = await request(h.app).get('/openapi.json');
    expect(res.status).toBe(200);
    const doc = JSON.parse(res.text);
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([p, ms]) => Object.keys(ms).map((m) => `${m.toUpperCase()} ${p}`),
    );
    const registered = expressRoutes(h.app);
    for (const r of registered) expect(documented, r).toContain(r);
    const contract = [
      'POST /commitments',
      ...[
        'sources',
        'progress',
        'reviews',
        'deadline',
        'target',
        'outcome',
        'withdrawal',
        'supersession',
        'corrections',
        'assessments',
      ].map((s) => `POST /commitments/{id}/${s}`),
      'GET /commitments/{id}',
      'GET /commitments',
      'GET /overdue',
      'GET /upcoming',
      'GET /summary',
      'GET /commitments/{id}/history',
      'GET /audit/replay',
      'GET /audit/verify',
      'GET /audit/verify/last',
      'GET /events',
      'GET /health',
      'GET /openapi.json',
      'GET /docs',
      'GET /calendar.ics',
      'GET /commitments.csv',
      'GET /scorecards',
      'GET /parties/{party}/scorecard',
      'POST /extractions',
    ];
    expect(documented.sort()).toEqual(contract.sort());
    expect(ROUTES).toHaveLength(contract.length);
    // Every $ref resolves.
    const refs = [...res.text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
      (m) => m[1] as string,
    );
    expect(refs.length).toBeGreaterThan(10);
    for (const r of refs) expect(doc.components.schemas[r], r).toBeDefined();
    // Bodies come from the zod schemas: strict, with the id pattern.
    const rc = doc.components.schemas.RecordCommitment;
    expect(rc.additionalProperties).toBe(false);
    expect(rc.properties.id.pattern).toBe('^[a-z0-9][a-z0-9-]{2,79}$');
    expect(rc.required).toEqual(
      expect.arrayContaining(['title', 'kind', 'parties', 'statement', 'source']),
    );
    const post = doc.paths['/commitments'].post;
    expect(Object.keys(post.responses)).toEqual(
      expect.arrayContaining([
        '201',
        '400',
        '401',
        '403',
        '409',
        '412',
        '413',
        '415',
        '422',
        '503',
      ]),
    );
    const list = doc.paths['/commitments'].get.parameters.map((p: { name: string }) => p.name);
    expect(list).toEqual(
      expect.arrayContaining([
        'status',
        'kind',
        'party',
        'tag',
        'timing',
        'q',
        'asOf',
        'limit',
        'cursor',
      ]),
    );
  });

  it('is a valid OpenAPI 3.1 document, as served (checked by an OpenAPI schema validator)', async () => {
    const res = await request(h.app).get('/openapi.json').expect(200);
    const validator = new Validator();
    const result = await validator.validate(res.body as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    // The validator does catch a broken document (so the check above can fail).
    const broken = buildOpenApi() as { paths: Record<string, Record<string, unknown>> };
    (broken.paths['/health'] as Record<string, unknown>).get = { responses: { '200': { x: 1 } } };
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });
});
