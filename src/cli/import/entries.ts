/**
 * Splits the import input into entries: a JSON array (one entry per item) or NDJSON (one per
 * non-blank line), and tells the kind of each entry from its members.
 */
import type { Entry, LineError } from './types.js';

export type EntryKind = 'event' | 'command' | 'record';

function splitArray(body: string): { entries: Entry[]; errors: LineError[] } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    return {
      entries: [],
      errors: [{ where: 'line 1', path: '', message: `invalid JSON: ${(err as Error).message}` }],
    };
  }
  if (!Array.isArray(value)) {
    return {
      entries: [],
      errors: [{ where: 'line 1', path: '', message: 'expected a JSON array' }],
    };
  }
  return {
    entries: value.map((v, i) => ({ where: `item ${i + 1}`, value: v as unknown })),
    errors: [],
  };
}

export function splitEntries(text: string): { entries: Entry[]; errors: LineError[] } {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trimStart().startsWith('[')) return splitArray(body);
  const entries: Entry[] = [];
  const errors: LineError[] = [];
  body.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    const where = `line ${i + 1}`;
    try {
      entries.push({ where, value: JSON.parse(line) as unknown });
    } catch (err) {
      errors.push({ where, path: '', message: `invalid JSON: ${(err as Error).message}` });
    }
  });
  return { entries, errors };
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

export function classify(v: unknown): EntryKind {
  if (isObject(v) && 'hash' in v && 'stream' in v && 'position' in v) return 'event';
  if (isObject(v) && 'command' in v) return 'command';
  return 'record';
}

/** Line number of `line 3` / `item 3`, to sort errors in input order. */
export const lineNo = (where: string): number => Number(where.replace(/^\D+/, '')) || 0;
