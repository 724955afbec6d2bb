/**
 * zod issues → field errors `{path, message}`, one per bad field, with paths written as
 * `metric.target` or `parties[0]`. Shared by the HTTP problem responses and the CLI's
 * line-numbered import errors, so both name a bad field the same way.
 */
import type { z } from 'zod';

export interface FieldError {
  path: string;
  message: string;
}

/** Dotted path with array indices in brackets: `metric.target`, `parties[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(v, seg)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

/** zod issues → one `{path, message}` per bad field; every unknown key gets its own entry. */
export function fieldErrors(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  base: PropertyKey[] = [],
): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        out.push({ path: formatPath([...path, key]), message: 'unknown field' });
      continue;
    }
    if (issue.code === 'invalid_union') {
      // Report the branch that came closest (fewest issues); on a tie, name the alternatives.
      const branches = issue.errors.filter((b) => b.length > 0);
      const best = Math.min(...branches.map((b) => b.length));
      const closest = branches.filter((b) => b.length === best);
      if (closest.length === 1 && closest[0]) {
        out.push(...fieldErrors(closest[0], input, path));
      } else {
        out.push({ path: formatPath(path), message: unionMessage(issue) });
      }
      continue;
    }
    if (issue.code === 'invalid_type' && valueAt(input, path) === undefined) {
      out.push({ path: formatPath(path), message: 'is required' });
      continue;
    }
    out.push({ path: formatPath(path), message: issue.message });
  }
  // One entry per path and message.
  const seen = new Set<string>();
  return out.filter((e) => {
    const k = `${e.path}\u0000${e.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function unionMessage(issue: z.core.$ZodIssueInvalidUnion): string {
  // The alternatives are objects with one required key each (for `due`): name those keys.
  const keys = issue.errors
    .map((b) => b.find((i) => i.code === 'invalid_type' && i.path.length === 1)?.path[0])
    .filter((k): k is string => typeof k === 'string');
  if (keys.length === issue.errors.length && keys.length > 0) {
    return `must be exactly one of ${keys.map((k) => `{${k}}`).join(', ')}`;
  }
  return 'does not match any of the allowed forms';
}
