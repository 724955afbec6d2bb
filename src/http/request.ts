/**
 * Reading a request: path parameters, query and body parsed with zod (a bad one is a 400 naming
 * the field; a path parameter that does not parse is a 404), and the If-Match header.
 */
import type { Request } from 'express';
import type { z } from 'zod';
import { HttpProblem, validationProblem } from './problem.js';

/** `"3"` → 3, `W/"3"` → 3, `*` → 'any'; absent → undefined; anything else → 400. */
export function parseIfMatch(raw: string | undefined): number | 'any' | undefined {
  if (raw === undefined) return undefined;
  const v = raw.trim();
  if (v === '*') return 'any';
  const m = /^(?:W\/)?"(\d{1,15})"$/.exec(v);
  if (!m) {
    throw new HttpProblem(
      'bad-header',
      'If-Match must be one quoted revision such as "3" (or W/"3", or *).',
      {
        errors: [{ path: 'If-Match', message: 'must be one quoted revision such as "3"' }],
      },
    );
  }
  return Number(m[1]);
}

export function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: 'body' | 'query',
): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw validationProblem(r.error.issues, input, where);
  return r.data;
}

export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  if (req.body === undefined) {
    throw new HttpProblem('validation', 'A JSON object body is required.', {
      errors: [{ path: '', message: 'a JSON object body is required' }],
    });
  }
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
    throw new HttpProblem('validation', 'The body must be a JSON object.', {
      errors: [{ path: '', message: 'must be a JSON object' }],
    });
  }
  return parseWith(schema, req.body, 'body');
}

/** Path parameters: one that does not parse cannot name a resource, so 404. */
export function parseParams<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  const r = schema.safeParse(req.params);
  if (!r.success) throw new HttpProblem('not-found', 'No such commitment.');
  return r.data;
}

/** True when the request carries a body (RFC 9110: Content-Length or Transfer-Encoding). */
export function hasBody(req: Request): boolean {
  const len = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (len !== undefined && len !== '0');
}
