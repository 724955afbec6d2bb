/**
 * `Idempotency-Key` on POST. A 2xx response is stored with the hash of the request
 * (method, path, canonical JSON body) through the `ResponseRecords` port (implemented over the
 * local SQLite database in src/read-model/response-records.ts), so the keys survive restarts.
 * A retry with the same key and body gets the stored status, body and headers back, and
 * nothing is appended; the same key with another body is 422. Failures are not stored: they wrote nothing, so a retry runs afresh.
 *
 * Within one process, concurrent requests with the same key are serialized: one runs, the
 * others wait and then replay its stored result (or run afresh if it failed). Across
 * processes, the tracker derives event ids from (scope, key), so a duplicate that slips
 * through is rejected by the store's unique event id and answered as a replay.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../shared/canonical-json.js';
import type { Clock } from '../domain/clock.js';
import { HttpProblem } from './problem.js';

export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** Headers worth replaying. */
const REPLAYED_HEADERS = ['ETag', 'Location'];

export const MAX_KEY_LENGTH = 200;

/** The key from the header: undefined when absent; 400 when empty, too long or not printable. */
export function parseIdempotencyKey(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.length < 1 || raw.length > MAX_KEY_LENGTH || !/^[\x20-\x7e]+$/.test(raw)) {
    throw new HttpProblem(
      'bad-header',
      `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} printable ASCII characters.`,
      {
        errors: [
          {
            path: 'Idempotency-Key',
            message: `must be 1 to ${MAX_KEY_LENGTH} printable ASCII characters`,
          },
        ],
      },
    );
  }
  return raw;
}

export function requestHash(method: string, path: string, body: unknown): string {
  return (
    createHash('sha256')
      // Canonical JSON (keys sorted), so equal bodies hash equally whatever their key order.
      .update(`${method}\n${path}\n${canonicalJson(body ?? null)}`)
      .digest('hex')
  );
}

/** A stored response as kept by `ResponseRecords`; body and headers are JSON text. */
export interface ResponseRecord {
  requestHash: string;
  status: number;
  body: string;
  headersJson: string;
}

/**
 * Where responses to keyed writes are kept, so they survive restarts. `put` keeps the first
 * record for a (scope, key) and ignores later ones.
 */
export interface ResponseRecords {
  get(scope: string, key: string): ResponseRecord | undefined;
  put(scope: string, key: string, record: ResponseRecord, createdAt: string): void;
}

export class IdempotencyStore {
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly records: ResponseRecords,
    private readonly clock: Clock,
  ) {}

  private lookup(scope: string, key: string, hash: string): StoredResponse | null {
    const row = this.records.get(scope, key);
    if (!row) return null;
    if (row.requestHash !== hash) {
      throw new HttpProblem(
        'idempotency-key-reused',
        'This Idempotency-Key was already used with a different request. Use a new key for a new request.',
      );
    }
    return {
      status: row.status,
      body: JSON.parse(row.body) as unknown,
      headers: {
        ...(JSON.parse(row.headersJson) as Record<string, string>),
        'Idempotent-Replayed': 'true',
      },
    };
  }

  /**
   * Run `execute` once per (scope, key): replay a stored result, wait for an in-flight one,
   * or run it and store a 2xx result.
   */
  async run(
    scope: string,
    key: string,
    hash: string,
    execute: () => Promise<StoredResponse>,
  ): Promise<StoredResponse> {
    const slot = `${scope}\u0000${key}`;
    for (;;) {
      const stored = this.lookup(scope, key, hash);
      if (stored) return stored;
      const pending = this.inFlight.get(slot);
      if (!pending) break;
      await pending; // never rejects; then look again
    }
    let release!: () => void;
    this.inFlight.set(
      slot,
      new Promise<void>((r) => {
        release = r;
      }),
    );
    try {
      const res = await execute();
      if (res.status >= 200 && res.status < 300) {
        const headers: Record<string, string> = {};
        for (const h of REPLAYED_HEADERS)
          if (res.headers[h] !== undefined) headers[h] = res.headers[h] as string;
        this.records.put(
          scope,
          key,
          {
            requestHash: hash,
            status: res.status,
            body: JSON.stringify(res.body),
            headersJson: JSON.stringify(headers),
          },
          this.clock.now().toISOString(),
        );
      }
      return res;
    } finally {
      this.inFlight.delete(slot);
      release();
    }
  }
}
