/**
 * Hostile input against every route: the generators and the check, shared by the fast test
 * (test/reliability/hostile-input.test.ts) and the long run (test/soak/hostile-input.soak.test.ts).
 *
 * The check for one request: a full response arrives (the connection is not dropped), the
 * status is below 500, every 4xx is application/problem+json with a matching `status` and no
 * stack trace, and a request that was not answered 2xx wrote nothing (store head unchanged).
 */
import fc from 'fast-check';

import { buildOpenApi } from '../../src/http/openapi.js';
import { commitmentBody, rawRequest, type InProcess, type RawResponse } from './helpers.js';

export interface Route {
  method: 'GET' | 'POST';
  /** OpenAPI path, e.g. `/commitments/{id}/progress`. */
  template: string;
}

/** Every route of the API, from the OpenAPI document (so a new route is fuzzed too). */
export function allRoutes(): Route[] {
  const doc = buildOpenApi() as { paths: Record<string, Record<string, unknown>> };
  const out: Route[] = [];
  for (const [p, methods] of Object.entries(doc.paths)) {
    for (const m of Object.keys(methods)) {
      const method = m.toUpperCase();
      if (method === 'GET' || method === 'POST') out.push({ method, template: p });
    }
  }
  return out;
}

/** A valid body for each write route (the fuzz mutates these). */
export function validBody(template: string): Record<string, unknown> | undefined {
  const cmd = /^\/commitments\/\{id\}\/([a-z]+)$/.exec(template)?.[1];
  if (template === '/commitments') return commitmentBody();
  if (template === '/extractions') {
    return {
      text: 'Astana, November 15 (Wire) — Kazakhstan and Uzbekistan agreed to hold a forum in 2026.',
      source: { publisher: 'Wire', publishedAt: '2025-11-15' },
    };
  }
  switch (cmd) {
    case 'sources':
      return { source: { publisher: 'Trend', publishedAt: '2025-11-15' }, note: 'second report' };
    case 'progress':
      return { asOf: '2025-12-31', value: 5_000_000_000, note: 'customs data' };
    case 'reviews':
      return { reviewedAt: '2026-01-05', assessment: 'on_track' };
    case 'deadline':
      return { due: { text: 'by 2031' }, reason: 'new plan' };
    case 'target':
      return { target: 12_000_000_000, reason: 'raised' };
    case 'outcome':
      return { outcome: 'fulfilled', decidedAt: '2026-01-05' };
    case 'withdrawal':
      return { at: '2026-01-05', reason: 'dropped' };
    case 'supersession':
      return { by: 'seed-two', at: '2026-01-05' };
    case 'corrections':
      return { fields: { title: 'Corrected title' }, reason: 'typo' };
    case 'assessments':
      return {
        party: 'KZ',
        score: 1,
        phase: 'interim',
        report: { name: 'Interim report', publishedAt: '2026-01-05', periodEnd: '2025-12-31' },
      };
    default:
      return undefined;
  }
}

export const SQL = "'; DROP TABLE events;--";

/** Path segments for `{id}`, already as they go on the wire. */
export const HOSTILE_IDS = [
  'seed-one',
  'seed-two',
  encodeURIComponent(SQL),
  encodeURIComponent("seed-one' OR '1'='1"),
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '..%5C..%5Cwindows%5Cwin.ini',
  '%00',
  'seed-one%00',
  '%ff%fe',
  '%',
  '%zz',
  '__proto__',
  'constructor',
  'prototype',
  'a'.repeat(5000),
  encodeURIComponent('çà-ünïcode'),
  '%E2%80%AE%00%ED%A0%80',
];

export const HOSTILE_VALUES = [
  SQL,
  "1' OR '1'='1",
  '1e400',
  '-1e400',
  '-1',
  '0',
  'NaN',
  'Infinity',
  '99999999999999999999999',
  '2025-02-29',
  '2025-13-01',
  '2025-11-15T25:61:00Z',
  '0000-00-00',
  '+275760-09-13',
  '9999-12-31',
  'P99999Y',
  'P',
  'PT1S',
  '..%2F..%2Fetc%2Fpasswd',
  '__proto__',
  '<script>alert(1)</script>',
  'x'.repeat(3000),
];

const QUERY_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  '__proto__[polluted]',
  'constructor[prototype][polluted]',
  'a[b][c]',
  'asOf',
  'knownAt',
  'limit',
  'cursor',
  'after',
  'status',
  'kind',
  'party',
  'tag',
  'timing',
  'q',
  'within',
];

const printable = fc.string({
  unit: fc.constantFrom(...'abcXYZ019 !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'.split('')),
  maxLength: 60,
});

const idArb = fc.oneof(
  fc.constantFrom(...HOSTILE_IDS),
  fc.string({ maxLength: 40 }).map((s) => encodeURIComponent(s)),
);

const queryArb = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 10 })),
      fc.oneof(fc.constantFrom(...HOSTILE_VALUES), fc.string({ maxLength: 30 })),
      fc.boolean(), // encode, or send raw (raw values may carry bad percent-encoding)
    ),
    { maxLength: 4 },
  )
  .map((pairs) =>
    pairs
      .map(([k, v, enc]) =>
        enc
          ? `${encodeURIComponent(k)}=${encodeURIComponent(v)}`
          : `${encodeURIComponent(k)}=${v.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c)).replace(/#/g, '%23')}`,
      )
      .join('&'),
  );

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/problem+json',
  'application/merge-patch+json',
  'text/plain',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/octet-stream',
  '',
  ';;;',
  'application/json; charset="',
  '*/*',
];

const headersArb = fc.record(
  {
    'content-type': fc.oneof(fc.constantFrom(...CONTENT_TYPES), printable),
    'if-match': fc.oneof(
      fc.constantFrom('"1"', '"0"', '*', 'W/"1"', '"1e400"', '"-1"', `"${SQL}"`),
      printable,
    ),
    'idempotency-key': fc.oneof(fc.constantFrom('k', 'x'.repeat(201), SQL, '__proto__'), printable),
    'x-request-id': fc.oneof(fc.constantFrom(SQL, 'r'.repeat(500), '../../etc'), printable),
    'content-encoding': fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-evil'),
    accept: fc.constantFrom('application/json', 'text/html', '*/*', 'image/png'),
    authorization: fc.constantFrom('Bearer x', 'Basic Zm9vOmJhcg==', 'Bearer ', 'garbage'),
  },
  { requiredKeys: [] },
);

/** Deep nesting, 10 000 levels. */
export const DEEP_ARRAY = '['.repeat(10_000) + ']'.repeat(10_000);
export const DEEP_OBJECT = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);

/** JSON text of `obj` with the string `"__RAW__"` replaced by a raw JSON token. */
function withRaw(obj: Record<string, unknown>, field: string, raw: string): string {
  return JSON.stringify({ ...obj, [field]: '__RAW__' }).replace('"__RAW__"', raw);
}

/** Hostile bodies, each as raw bytes; `valid` is the route's valid body (may be undefined). */
export function hostileBodies(valid: Record<string, unknown> | undefined): Buffer[] {
  const base = valid ?? { title: 'x' };
  const firstKey = Object.keys(base)[0] as string;
  const texts = [
    JSON.stringify(base),
    '',
    'null',
    '[]',
    '"just a string"',
    '12',
    '{',
    '{"a":1,}',
    "{'single':'quotes'}",
    `{"__proto__":{"polluted":true},${JSON.stringify(base).slice(1)}`,
    `{"constructor":{"prototype":{"polluted":true}},${JSON.stringify(base).slice(1)}`,
    JSON.stringify({ ...base, ['__proto__']: { polluted: true } }),
    withRaw(base, firstKey, '1e400'),
    withRaw(base, 'target', '1e400'),
    withRaw(base, 'value', '-1e400'),
    withRaw(base, 'value', '123456789012345678901234567890'),
    withRaw(base, 'value', '5e-324'),
    withRaw(base, 'metric', '{"name":"t","unit":"USD","target":1e400}'),
    JSON.stringify({ ...base, asOf: '2025-02-30' }),
    JSON.stringify({ ...base, at: '2025-13-01' }),
    JSON.stringify({ ...base, decidedAt: '20251115' }),
    JSON.stringify({ ...base, reviewedAt: 'yesterday' }),
    JSON.stringify({ ...base, statement: { quote: 'q', madeAt: '2025-11-31' } }),
    JSON.stringify({ ...base, due: { edtf: '2026/..' } }),
    JSON.stringify({ ...base, due: { latest: '10000-01-01' } }),
    JSON.stringify({ ...base, reviewEvery: 'P99999999Y' }),
    JSON.stringify({ ...base, id: SQL }),
    JSON.stringify({ ...base, id: '../../etc/passwd' }),
    JSON.stringify({ ...base, by: '..%2F..%2Fetc%2Fpasswd' }),
    JSON.stringify({ ...base, parties: [SQL] }),
    JSON.stringify({ ...base, tags: ['x'.repeat(10_000)] }),
    JSON.stringify({ ...base, colour: 'red' }),
    withRaw(base, firstKey, DEEP_ARRAY),
    withRaw(base, firstKey, DEEP_OBJECT),
    DEEP_ARRAY,
    DEEP_OBJECT,
    `{"title":"${'a'.repeat(1_100_000)}"}`,
    '\u0000\u0001\u0002',
    '\ufeff' + JSON.stringify(base),
    JSON.stringify({ ...base, note: '\ud800 lone surrogate' }),
  ];
  const bufs = texts.map((t) => Buffer.from(t, 'utf8'));
  // Invalid UTF-8 inside a JSON string, and as the whole body.
  bufs.push(
    Buffer.concat([
      Buffer.from(`{"${firstKey}":"`),
      Buffer.from([0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xc3, 0x28]),
      Buffer.from('"}'),
    ]),
    Buffer.from([0xff, 0xfe, 0xfd, 0x00, 0x80]),
    Buffer.alloc(2 * 1024 * 1024, 0x20), // 2 MB of spaces
  );
  return bufs;
}

const bodyArb = (valid: Record<string, unknown> | undefined): fc.Arbitrary<Buffer | undefined> =>
  fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(...hostileBodies(valid)),
    fc.json({ maxDepth: 4 }).map((t) => Buffer.from(t)),
    // The valid body with one field set to an arbitrary JSON value.
    fc
      .tuple(fc.constantFrom(...Object.keys(valid ?? { x: 1 })), fc.jsonValue({ maxDepth: 3 }))
      .map(([k, v]) => Buffer.from(JSON.stringify({ ...(valid ?? {}), [k]: v }))),
    fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
  );

export interface HostileRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** A body that prints short in a counterexample. */
function labelled(b: Buffer): Buffer {
  const label = `<${b.length} bytes: ${JSON.stringify(b.subarray(0, 80).toString('latin1'))}>`;
  Object.defineProperty(b, fc.toStringMethod, { value: () => label, enumerable: false });
  return b;
}

export function requestArb(routes: Route[]): fc.Arbitrary<HostileRequest> {
  return fc.constantFrom(...routes).chain((route) =>
    fc
      .record({
        method: fc.oneof(
          { weight: 8, arbitrary: fc.constant(route.method) },
          { weight: 1, arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS') },
        ),
        id: idArb,
        query: queryArb,
        headers: headersArb,
        body: bodyArb(validBody(route.template)),
      })
      .map(({ method, id, query, headers, body }) => ({
        method,
        path: route.template.replace('{id}', id) + (query ? `?${query}` : ''),
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        ...(body !== undefined ? { body: labelled(body) } : {}),
      })),
  );
}

/**
 * Send one request and check the response. Throws (with the request described) when a
 * guarantee does not hold.
 */
export async function sendAndCheck(app: InProcess, r: HostileRequest): Promise<RawResponse> {
  const before = await app.head();
  const describe = (): string =>
    `${r.method} ${r.path.slice(0, 200)} headers=${JSON.stringify(r.headers).slice(0, 300)} body=${
      r.body ? JSON.stringify(r.body.subarray(0, 120).toString('latin1')) : 'none'
    } (${r.body?.length ?? 0} bytes)`;
  let res: RawResponse;
  try {
    res = await rawRequest(app.url, {
      method: r.method,
      path: r.path,
      headers: r.headers,
      ...(r.body !== undefined ? { body: r.body } : {}),
    });
  } catch (err) {
    throw new Error(`connection dropped (${(err as Error).message}) for ${describe()}`, {
      cause: err,
    });
  }
  const after = await app.head();
  const text = res.body.toString('utf8');
  if (res.status >= 500) {
    throw new Error(`answered ${res.status} for ${describe()}: ${text.slice(0, 300)}`);
  }
  if (res.status >= 400) {
    const ct = String(res.headers['content-type'] ?? '');
    if (!ct.startsWith('application/problem+json')) {
      throw new Error(`${res.status} with content-type "${ct}" for ${describe()}`);
    }
    if (r.method !== 'HEAD') {
      let p: { status?: unknown; type?: unknown; title?: unknown; detail?: unknown };
      try {
        p = JSON.parse(text) as typeof p;
      } catch {
        throw new Error(`${res.status} body is not JSON for ${describe()}: ${text.slice(0, 200)}`);
      }
      if (
        p.status !== res.status ||
        typeof p.type !== 'string' ||
        typeof p.title !== 'string' ||
        typeof p.detail !== 'string'
      ) {
        throw new Error(`${res.status} is not a problem document for ${describe()}: ${text}`);
      }
      if (/\n\s+at |node_modules|\.ts:\d+/.test(text)) {
        throw new Error(`stack trace in the response for ${describe()}: ${text}`);
      }
    }
  }
  if ((res.status < 200 || res.status >= 300) && after !== before) {
    throw new Error(
      `a request answered ${res.status} moved the store head from ${before} to ${after}: ${describe()}`,
    );
  }
  return res;
}

/** Seed the two commitments the fuzz refers to. */
export async function seed(app: InProcess): Promise<void> {
  for (const id of ['seed-one', 'seed-two']) {
    const res = await rawRequest(app.url, {
      method: 'POST',
      path: '/commitments',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(commitmentBody(id)),
    });
    if (res.status !== 201) throw new Error(`seeding ${id}: ${res.status} ${res.body.toString()}`);
  }
}
