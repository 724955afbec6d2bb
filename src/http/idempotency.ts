/**
 * `Idempotency-Key` on POST. A 2xx response is stored with the hash of the request
 * (method, path, canonical JSON body) in `http_idempotency` in the tracker's local SQLite
 * database, so the keys survive restarts. A retry with the same key and body gets the
 * stored status, body and headers back, and nothing is appended; the same key with another
 * body is 422. Failures are not stored: they wrote nothing, so a retry runs afresh.
 *
 * Within one process, concurrent requests with the same key are serialized: one runs, the
 * others wait and then replay its stored result (or run afresh if it failed). Across
 * processes, the tracker derives event ids from (scope, key), so a duplicate that slips
 * through is rejected by the store's unique event id and answered as a replay.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../store/hash-chain.js';
import type Database from 'better-sqlite3';
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

interface Row {
  request_hash: string;
  status: number;
  body: string;
  headers_json: string;
}

export class IdempotencyStore {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly prepared = new WeakMap<
    Database.Database,
    { get: Database.Statement; put: Database.Statement }
  >();

  /** `db` is looked up on each use: the tracker (and its database) may be opened after the app. */
  constructor(
    private readonly db: () => Database.Database,
    private readonly clock: Clock,
  ) {}

  private statements(): { get: Database.Statement; put: Database.Statement } {
    const db = this.db();
    let st = this.prepared.get(db);
    if (!st) {
      db.exec(`CREATE TABLE IF NOT EXISTS http_idempotency (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        status INTEGER NOT NULL,
        body TEXT NOT NULL,
        headers_json TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (scope, key)
      )`);
      st = {
        get: db.prepare(
          'SELECT request_hash, status, body, headers_json FROM http_idempotency WHERE scope = ? AND key = ?',
        ),
        put: db.prepare(
          `INSERT INTO http_idempotency (scope, key, request_hash, status, body, headers_json, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scope, key) DO NOTHING`,
        ),
      };
      this.prepared.set(db, st);
    }
    return st;
  }

  private lookup(scope: string, key: string, hash: string): StoredResponse | null {
    const row = this.statements().get.get(scope, key) as Row | undefined;
    if (!row) return null;
    if (row.request_hash !== hash) {
      throw new HttpProblem(
        'idempotency-key-reused',
        'This Idempotency-Key was already used with a different request. Use a new key for a new request.',
      );
    }
    return {
      status: row.status,
      body: JSON.parse(row.body) as unknown,
      headers: {
        ...(JSON.parse(row.headers_json) as Record<string, string>),
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
        this.statements().put.run(
          scope,
          key,
          hash,
          res.status,
          JSON.stringify(res.body),
          JSON.stringify(headers),
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
