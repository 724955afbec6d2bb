/**
 * Crash safety (issue 8), shared by test/reliability/crash.test.ts (3 kills) and
 * test/soak/crash.soak.test.ts (more kills, longer load).
 *
 * One round: start the real server (`node dist/src/cli/main.js serve`) on a data dir, drive 16
 * concurrent writers (POST /commitments and POST /commitments/{id}/progress), record every 201
 * (id, revision, body), SIGKILL the server after a random delay, restart it, and check:
 * - every acknowledged write is in GET /commitments/{id}/history, at its revision, with its body;
 * - GET /audit/verify is ok (hash chain and read model);
 * - the read model equals a rebuild: GET /commitments before and after `commitments rebuild`
 *   (server stopped) are equal, and verify is ok again.
 * The data dir is kept from round to round, so the log grows and each kill lands on a bigger one.
 */
import { expect } from 'vitest';

import {
  commitmentBody,
  getJson,
  listAll,
  runCli,
  sleep,
  spawnServer,
  type ChildServer,
  type HistoryEvent,
  type VerifyBody,
} from './helpers.js';

interface Ack {
  kind: 'record' | 'progress';
  id: string;
  revision: number;
  note: string;
  body: Record<string, unknown>;
}

export interface CrashOptions {
  dataDir: string;
  rounds: number;
  writers?: number;
  /** The kill comes after a random delay in [minKillMs, maxKillMs] from the start of the load. */
  minKillMs: number;
  maxKillMs: number;
  /** SQLITE_SYNCHRONOUS for the server (default FULL, the shipped default). */
  synchronous?: string;
  log?: (msg: string) => void;
}

export interface CrashSummary {
  acknowledged: number;
  kills: number;
  events: number;
}

/** 16 writers until `stop` is set; resolves with every 201. Connection errors end a writer. */
async function load(
  srv: ChildServer,
  ids: string[],
  writers: number,
  round: number,
  stop: { now: boolean },
): Promise<{ acks: Ack[]; statuses: Map<number, number> }> {
  const acks: Ack[] = [];
  const statuses = new Map<number, number>();
  const writer = async (w: number): Promise<void> => {
    for (let i = 0; !stop.now; i += 1) {
      const note = `r${round}-w${w}-n${i}`;
      const create = Math.random() < 0.2;
      const id = create
        ? `crash-r${round}-w${w}-n${i}`
        : (ids[Math.floor(Math.random() * ids.length)] as string);
      const body = create
        ? commitmentBody(id, { title: `Crash test ${note}` })
        : { asOf: '2025-12-31', value: i, note };
      const url = create ? `${srv.url}/commitments` : `${srv.url}/commitments/${id}/progress`;
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      } catch {
        return; // the server is gone
      }
      let json: Record<string, unknown>;
      try {
        json = (await res.json()) as Record<string, unknown>;
      } catch {
        return; // killed mid-response: not acknowledged
      }
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 201) {
        const etag = res.headers.get('etag') ?? '';
        const revision = Number(/^"(\d+)"$/.exec(etag)?.[1]);
        expect(revision, `ETag ${etag}`).toBeGreaterThan(0);
        expect(json.revision).toBe(revision);
        expect(json.id).toBe(id);
        acks.push({ kind: create ? 'record' : 'progress', id, revision, note, body: json });
        if (create) ids.push(id);
      }
    }
  };
  await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
  return { acks, statuses };
}

async function checkAcks(srv: ChildServer, acks: Ack[]): Promise<void> {
  const byId = new Map<string, Ack[]>();
  for (const a of acks) byId.set(a.id, [...(byId.get(a.id) ?? []), a]);
  for (const [id, list] of byId) {
    const h = await getJson<{ id: string; events: HistoryEvent[] }>(
      `${srv.url}/commitments/${id}/history`,
    );
    expect(h.status, `history of ${id} after the crash`).toBe(200);
    const events = h.body.events;
    for (const a of list) {
      const e = events.find((x) => x.revision === a.revision);
      expect(
        e,
        `acknowledged ${a.kind} ${a.note} of ${id} at revision ${a.revision} is lost`,
      ).toBeDefined();
      if (a.kind === 'record') {
        expect(e?.type).toBe('CommitmentRecorded');
        expect(e?.data.title).toBe(a.body.title);
      } else {
        expect(e?.type).toBe('ProgressReported');
        expect(e?.data.note, `revision ${a.revision} of ${id} holds another write`).toBe(a.note);
      }
    }
    // The revisions are a gap-free sequence.
    expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i + 1));
    // The view now is at least as far as every acknowledged revision.
    const v = await getJson<{ revision: number }>(`${srv.url}/commitments/${id}`);
    expect(v.body.revision).toBeGreaterThanOrEqual(Math.max(...list.map((a) => a.revision)));
  }
}

async function verifyOk(srv: ChildServer, when: string): Promise<VerifyBody> {
  const v = await getJson<VerifyBody>(`${srv.url}/audit/verify`);
  expect(v.status).toBe(200);
  expect(v.body.chain, `${when}: ${JSON.stringify(v.body)}`).toEqual({ ok: true });
  expect(v.body.readModel, `${when}: ${JSON.stringify(v.body)}`).toEqual({
    ok: true,
    mismatches: [],
  });
  expect(v.body.ok).toBe(true);
  return v.body;
}

export async function runCrashRounds(opts: CrashOptions): Promise<CrashSummary> {
  const log = opts.log ?? (() => {});
  const env = { SQLITE_SYNCHRONOUS: opts.synchronous ?? 'FULL', LOG_LEVEL: 'warn' };
  const ids: string[] = [];
  let acknowledged = 0;
  let events = 0;

  let srv = await spawnServer({ dataDir: opts.dataDir, env });
  try {
    for (let i = 0; i < 8; i += 1) {
      const id = `crash-seed-${i}`;
      const r = await fetch(`${srv.url}/commitments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(commitmentBody(id)),
      });
      expect(r.status).toBe(201);
      await r.arrayBuffer();
      ids.push(id);
    }

    for (let round = 1; round <= opts.rounds; round += 1) {
      const stop = { now: false };
      const killAfter =
        opts.minKillMs + Math.floor(Math.random() * (opts.maxKillMs - opts.minKillMs));
      const running = load(srv, ids, opts.writers ?? 16, round, stop);
      await sleep(killAfter);
      await srv.kill(); // SIGKILL mid-load
      stop.now = true;
      const { acks, statuses } = await running;
      acknowledged += acks.length;
      for (const s of statuses.keys()) expect(s, `status ${s} during the load`).toBeLessThan(500);
      log(
        `round ${round}: killed after ${killAfter} ms, ${acks.length} acknowledged, statuses ${JSON.stringify([...statuses])}`,
      );
      expect(acks.length, 'the load wrote something before the kill').toBeGreaterThan(0);

      // Restart on the same data dir and check.
      srv = await spawnServer({ dataDir: opts.dataDir, env });
      await checkAcks(srv, acks);
      const v = await verifyOk(srv, `round ${round} after restart`);
      events = v.events;
      const before = await listAll(srv.url);
      expect(before.length).toBeGreaterThanOrEqual(8);

      // The read model equals a rebuild.
      const stopped = await srv.stop();
      expect(stopped.code, srv.output()).toBe(0);
      const rb = await runCli(['rebuild'], { dataDir: opts.dataDir, env, timeoutMs: 120_000 });
      expect(rb.code, rb.stdout + rb.stderr).toBe(0);
      srv = await spawnServer({ dataDir: opts.dataDir, env });
      const after = await listAll(srv.url);
      expect(after).toEqual(before);
      await verifyOk(srv, `round ${round} after rebuild`);
    }
    const final = await srv.stop();
    expect(final.code).toBe(0);
    return { acknowledged, kills: opts.rounds, events };
  } finally {
    if (srv.proc.exitCode === null && srv.proc.signalCode === null) await srv.kill();
  }
}
