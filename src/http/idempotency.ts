/**
 * `Idempotency-Key` on POST. A 2xx response is stored with the hash of the request
 * (method, path, canonical JSON body) through the `ResponseRecords` port (implemented over the
 * local SQLite database in src/read-model/response-records.ts), so the keys survive restarts.
 * A retry with the same key and body gets the stored status, body and headers back, and
 * nothing is appended; the same key with another body is 422. Failures are not stored: they wrote nothing, so a retry runs afresh.
 *
 * What is kept is what a replay needs (issue 20): the status, ETag and Location, and the body
 * only when it is at most MAX_STORED_BODY_BYTES; a larger body is not kept, and a replay answers
 * with the stored status and headers and the commitment's current view. Records expire after
 * the idempotency window (IDEMPOTENCY_TTL_HOURS, default 24 h): an expired one is not replayed,
 * and a sweep deletes them in small batches, yielding to the event loop between batches.
 *
 * Within one process, concurrent requests with the same key are serialized: one runs, the
 * others wait and then replay its stored result (or run afresh if it failed). Across
 * processes, the tracker derives event ids from (scope, key), so a duplicate that slips
 * through is rejected by the store's unique event id and answered as a replay.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../shared/canonical-json.js';
import type { Clock } from '../domain/clock.js';
import { IdempotencyKeyReusedError } from '../domain/errors.js';
import { HttpProblem } from './problem.js';

export interface StoredResponse {
  status: number;
  /** Undefined on a replay whose body was too large to keep: re-read `resource` then. */
  body: unknown;
  headers: Record<string, string>;
  /** The commitment the response is about; kept so a replay without its body can re-read it. */
  resource?: string;
}

/** Key under which `resource` is kept in the stored headers JSON; never sent. */
const RESOURCE_KEY = '#resource';

/** A stored body larger than this is dropped; the replay re-reads the commitment instead. */
export const MAX_STORED_BODY_BYTES = 64 * 1024;
/** The default idempotency window. */
export const DEFAULT_IDEMPOTENCY_TTL_HOURS = 24;
/** Records deleted per sweep batch; the sweep yields to the event loop between batches. */
export const SWEEP_BATCH = 500;

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

/**
 * A stored response as kept by `ResponseRecords`; body and headers are JSON text. An empty
 * `body` means it was too large to keep.
 */
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
  get(scope: string, key: string): (ResponseRecord & { createdAt?: string }) | undefined;
  /** With `replaceOlderThan`, a stored record created before it is replaced. */
  put(
    scope: string,
    key: string,
    record: ResponseRecord,
    createdAt: string,
    replaceOlderThan?: string,
  ): void;
  /** Delete at most `limit` records created before `before`; returns how many went. */
  sweep?(before: string, limit: number): number;
}

export class IdempotencyStore {
  private readonly inFlight = new Map<string, Promise<void>>();

  private readonly ttlMs: number;

  constructor(
    private readonly records: ResponseRecords,
    private readonly clock: Clock,
    opts: { ttlHours?: number } = {},
  ) {
    this.ttlMs = (opts.ttlHours ?? DEFAULT_IDEMPOTENCY_TTL_HOURS) * 3_600_000;
  }

  /** Records created before this instant have expired. */
  private cutoff(): string {
    return new Date(this.clock.now().getTime() - this.ttlMs).toISOString();
  }

  /**
   * Delete expired records, SWEEP_BATCH at a time, yielding to the event loop between batches.
   * Returns how many were deleted.
   */
  async sweep(): Promise<number> {
    const sweep = this.records.sweep?.bind(this.records);
    if (!sweep) return 0;
    const before = this.cutoff();
    let total = 0;
    for (;;) {
      const n = sweep(before, SWEEP_BATCH);
      total += n;
      if (n < SWEEP_BATCH) return total;
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  /** Sweep every `intervalMs` (the timer does not keep the process alive). Returns a stop function. */
  startSweeping(intervalMs: number, onError: (err: unknown) => void): () => void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      this.sweep()
        .catch(onError)
        .finally(() => {
          busy = false;
        });
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private lookup(scope: string, key: string, hash: string): StoredResponse | null {
    const row = this.records.get(scope, key);
    if (!row) return null;
    if (row.createdAt !== undefined && row.createdAt < this.cutoff()) return null; // expired
    // The same refusal as the command handler's, answered by toProblem (src/http/problem.ts).
    if (row.requestHash !== hash) throw new IdempotencyKeyReusedError(key);
    const { [RESOURCE_KEY]: resource, ...headers } = JSON.parse(row.headersJson) as Record<
      string,
      string
    >;
    return {
      status: row.status,
      body: row.body === '' ? undefined : (JSON.parse(row.body) as unknown),
      headers: { ...headers, 'Idempotent-Replayed': 'true' },
      ...(resource !== undefined ? { resource } : {}),
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
        if (res.resource !== undefined) headers[RESOURCE_KEY] = res.resource;
        const body = JSON.stringify(res.body);
        const keep = Buffer.byteLength(body, 'utf8') <= MAX_STORED_BODY_BYTES;
        this.records.put(
          scope,
          key,
          {
            requestHash: hash,
            status: res.status,
            body: keep ? body : '',
            headersJson: JSON.stringify(headers),
          },
          this.clock.now().toISOString(),
          this.cutoff(),
        );
      }
      return res;
    } finally {
      this.inFlight.delete(slot);
      release();
    }
  }
}
