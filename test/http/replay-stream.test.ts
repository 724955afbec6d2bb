/**
 * /audit/replay streams its answer (issue 18): the same bytes as the one-piece answer, in several
 * chunks, produced while the replay runs (by the order of events, not by time), with the worker
 * held back by the chunks the route has taken; a client that goes away stops the replay and frees
 * the one-at-a-time slot; a failure after the first byte cuts the connection. The inline path
 * (no compiled worker: tests run the sources) and the worker path (dist/, `npm run build`).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { auditJobs, type AuditJobs, type AuditRunner } from '../../src/app/audit-jobs.js';
import {
  inlineAuditRunner,
  REPLAY_WINDOW,
  workerAuditRunner,
  type ReplayWorkerEvent,
} from '../../src/audit-runner.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/http/logger.js';
import type { LocalLog } from '../../src/store/port.js';
import { StoreUnavailableError } from '../../src/store/errors.js';
import { KEYS, harness, tradeBody, type Harness } from './helpers.js';

const WORKER = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../dist/src/audit-worker.js',
);
const built = fs.existsSync(WORKER);
if (!built) console.log(`skipping the replay worker tests: ${WORKER} is not built (npm run build)`);

const carol = KEYS[2] as (typeof KEYS)[0];
const AUTH = { Authorization: `Bearer ${carol.secret}` };
/** More views than the worker may post ahead (64 views a chunk), so it cannot finish alone. */
const COMMITMENTS = 64 * (REPLAY_WINDOW + 2) + 10;
const OPTS = { knownAt: '2026-01-10T12:00:00.000Z', asOf: '2026-02-01' };
/** vi.waitFor's patience on a shared machine: how long, never what is asserted. */
const WAIT = { timeout: 20_000, interval: 20 };
const QUERY = `/audit/replay?knownAt=${OPTS.knownAt}&asOf=${OPTS.asOf}`;

let h: Harness;
let oneMessage = '';

beforeAll(async () => {
  h = await harness({ keys: KEYS });
  for (let i = 0; i < COMMITMENTS; i += 1)
    await h.tracker.record(tradeBody({ id: `rs-${String(i).padStart(4, '0')}` }) as never, {
      recordedBy: 'test',
    });
  // The answer as it was sent before it streamed: res.json of the whole ReplayResult.
  oneMessage = JSON.stringify(await h.tracker.replay(OPTS));
}, 60_000);
afterAll(() => h.close());

function appWith(runner: AuditRunner, audits?: AuditJobs) {
  return createApp({
    tracker: { ...h.tracker, auditRunner: runner },
    config: { apiKeys: KEYS, openMode: false },
    logger: createLogger({ level: 'silent' }),
    clock: h.clock,
    ...(audits ? { audits } : {}),
  });
}

function jobs(runner: AuditRunner): AuditJobs {
  return auditJobs({ runner, headPosition: async () => 0, now: () => h.clock.now() });
}

/** A store whose embedded log counts the pages it has handed out. */
function countingStore(pageSize: number): {
  store: Pick<typeof h.tracker.store, 'readAll' | 'local'>;
  pages: () => number;
} {
  const local = h.tracker.store.local as LocalLog;
  let pages = 0;
  const counting: LocalLog = {
    ...local,
    *pagesOfCommitmentsByStream() {
      for (const p of local.pagesOfCommitmentsByStream(pageSize)) {
        pages += 1;
        yield p;
      }
    },
  };
  return {
    store: { readAll: (o) => h.tracker.store.readAll(o), local: counting },
    pages: () => pages,
  };
}

/**
 * A runner whose first replay stops after `after` chunks until the client goes away (or fails
 * there with `fail`); it records how many chunks it took from the real runner and whether the
 * real replay was stopped before its end.
 */
function held(
  runner: AuditRunner,
  opts: { after?: number; fail?: Error } = {},
): AuditRunner & { taken: number; finished: boolean; stopped: boolean } {
  let calls = 0;
  const r = {
    taken: 0,
    finished: false,
    stopped: false,
    verify: () => runner.verify(),
    replay: (o: { knownAt: string; asOf: string }) => runner.replay(o),
    async *replayJson(o: { knownAt: string; asOf: string }, signal: AbortSignal) {
      calls += 1;
      const first = calls === 1;
      const inner = (runner.replayJson as NonNullable<AuditRunner['replayJson']>)(o, signal);
      let complete = false;
      try {
        if (first && opts.fail && (opts.after ?? 1) === 0) throw opts.fail;
        for await (const c of inner) {
          if (first) r.taken += 1;
          yield c;
          if (first && r.taken === (opts.after ?? 1)) {
            if (opts.fail) throw opts.fail;
            await new Promise((resolve) => signal.addEventListener('abort', resolve));
            signal.throwIfAborted();
          }
        }
        complete = true;
        if (first) r.finished = true;
      } finally {
        if (first && !complete) r.stopped = true;
      }
    },
  };
  return r;
}

/** GET the replay from a listening server: the data events, and how the response ended. */
function get(
  app: ReturnType<typeof createApp>,
  opts: { abortAfterFirst?: boolean } = {},
): Promise<{
  status: number;
  type: string | undefined;
  chunks: string[];
  ended: 'complete' | 'broken' | 'aborted-by-client';
}> {
  const server = app.listen(0);
  const port = (server.address() as AddressInfo).port;
  return new Promise((resolve, reject) => {
    const req = http.get(`http://127.0.0.1:${port}${QUERY}`, { headers: AUTH }, (res) => {
      const chunks: string[] = [];
      const finish = (ended: 'complete' | 'broken' | 'aborted-by-client'): void => {
        server.close();
        server.closeAllConnections();
        resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], chunks, ended });
      };
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        chunks.push(c);
        if (opts.abortAfterFirst && chunks.length === 1) {
          req.destroy();
          finish('aborted-by-client');
        }
      });
      res.on('end', () => {
        if (!res.complete) return finish('broken');
        if (!opts.abortAfterFirst) finish('complete');
      });
      res.on('error', () => finish('broken'));
      res.on('aborted', () => finish('broken'));
    });
    req.on('error', (err) => {
      if (!opts.abortAfterFirst) reject(err);
    });
  });
}

describe('/audit/replay streams, inline (no worker)', () => {
  it('sends the same bytes and Content-Type as the one-piece answer', async () => {
    const res = await request(appWith(inlineAuditRunner(h.tracker, h.tracker.store)))
      .get(QUERY)
      .set(AUTH)
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (text += c));
        r.on('end', () => cb(null, text));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toBe(oneMessage);
    expect(JSON.parse(res.body as string).commitments).toHaveLength(COMMITMENTS);
  });

  it('arrives in several chunks, the first written before the last page is read', async () => {
    const { store, pages } = countingStore(50);
    const runner = inlineAuditRunner(h.tracker, store);
    const writes: number[] = [];
    let text = '';
    await jobs(runner).replayJson(
      OPTS,
      async (c) => {
        writes.push(pages());
        text += c;
      },
      new AbortController().signal,
    );
    expect(text).toBe(oneMessage);
    const totalPages = pages();
    expect(totalPages).toBeGreaterThan(3);
    expect(writes.length).toBeGreaterThan(REPLAY_WINDOW + 1);
    expect(writes[0]).toBeLessThan(totalPages);

    // Over HTTP too: several data events, the same bytes.
    const got = await get(appWith(inlineAuditRunner(h.tracker, store)));
    expect(got.status).toBe(200);
    expect(got.ended).toBe('complete');
    expect(got.chunks.length).toBeGreaterThan(1);
    expect(got.chunks.join('')).toBe(oneMessage);
  });

  it('a client that goes away stops the replay and frees the slot: the next replay is 200', async () => {
    const { store, pages } = countingStore(50);
    const runner = held(inlineAuditRunner(h.tracker, store));
    const audits = jobs(runner);
    const app = appWith(runner, audits);
    const first = await get(app, { abortAfterFirst: true });
    expect(first.status).toBe(200);
    expect(first.ended).toBe('aborted-by-client');
    await vi.waitFor(() => expect(audits.running()).toEqual([]), WAIT);
    expect(runner.stopped).toBe(true);
    expect(runner.finished).toBe(false);
    const readWhenStopped = pages();
    const second = await request(app).get(QUERY).set(AUTH);
    expect(second.status).toBe(200);
    expect(JSON.stringify(second.body)).toBe(oneMessage);
    // The stopped replay had not read the whole log; the complete one did.
    expect(readWhenStopped).toBeLessThan(pages() - readWhenStopped);
  });

  it('while one replay streams, another is 429', async () => {
    const runner = held(inlineAuditRunner(h.tracker, h.tracker.store));
    const audits = jobs(runner);
    const app = appWith(runner, audits);
    const server = app.listen(0);
    const port = (server.address() as AddressInfo).port;
    const firstData = new Promise<http.ClientRequest>((resolve) => {
      const req = http.get(`http://127.0.0.1:${port}${QUERY}`, { headers: AUTH }, (res) =>
        res.once('data', () => resolve(req)),
      );
      req.on('error', () => undefined);
    });
    const req = await firstData;
    const busy = await request(app).get(QUERY).set(AUTH);
    expect(busy.status).toBe(429);
    expect(Number(busy.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    req.destroy();
    await vi.waitFor(() => expect(audits.running()).toEqual([]), WAIT);
    server.close();
    server.closeAllConnections();
  });

  it('a failure after the first byte cuts the response; before it, a problem+json', async () => {
    const after = held(inlineAuditRunner(h.tracker, h.tracker.store), {
      fail: new Error('disk gone'),
    });
    const cut = await get(appWith(after, jobs(after)));
    expect(cut.status).toBe(200);
    expect(cut.ended).toBe('broken');
    expect(() => JSON.parse(cut.chunks.join(''))).toThrow();

    const before = held(inlineAuditRunner(h.tracker, h.tracker.store), {
      after: 0,
      fail: new StoreUnavailableError('the store is away', 7),
    });
    const problem = await request(appWith(before, jobs(before)))
      .get(QUERY)
      .set(AUTH);
    expect(problem.status).toBe(503);
    expect(problem.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe.skipIf(!built)('/audit/replay streams from the worker thread', () => {
  it('sends the same bytes, in several chunks', async () => {
    const got = await get(appWith(workerAuditRunner({ file: WORKER, dataDir: h.dir })));
    expect(got.status).toBe(200);
    expect(got.type).toBe('application/json; charset=utf-8');
    expect(got.ended).toBe('complete');
    expect(got.chunks.length).toBeGreaterThan(1);
    expect(got.chunks.join('')).toBe(oneMessage);
  });

  it('the worker never runs more than the window ahead of what was written', async () => {
    const events: Array<ReplayWorkerEvent | 'written'> = [];
    const runner = workerAuditRunner({
      file: WORKER,
      dataDir: h.dir,
      onReplayEvent: (e) => events.push(e),
    });
    let text = '';
    let written = 0;
    await jobs(runner).replayJson(
      OPTS,
      async (c) => {
        written += 1;
        if (written === 1) {
          // Hold the first chunk until the worker has filled its window (it must), then give
          // it turns of the event loop to post more if it would (it must not).
          await vi.waitFor(
            () => expect(events.filter((e) => e === 'chunk').length).toBe(REPLAY_WINDOW),
            WAIT,
          );
          for (let i = 0; i < 50; i += 1) await new Promise((r) => setImmediate(r));
        }
        const received = events.filter((e) => e === 'chunk').length;
        // Chunk k is written before it is acknowledged: at most k - 1 + window were posted.
        expect(received).toBeLessThanOrEqual(written - 1 + REPLAY_WINDOW);
        events.push('written');
        text += c;
      },
      new AbortController().signal,
    );
    expect(text).toBe(oneMessage);
    expect(written).toBeGreaterThan(REPLAY_WINDOW + 1);
    // The first chunk was written before the worker had finished.
    expect(events.indexOf('written')).toBeLessThan(events.indexOf('done'));
  });

  it('a client that goes away terminates the worker and frees the slot', async () => {
    const events: ReplayWorkerEvent[] = [];
    const runner = held(
      workerAuditRunner({ file: WORKER, dataDir: h.dir, onReplayEvent: (e) => events.push(e) }),
    );
    const audits = jobs(runner);
    const app = appWith(runner, audits);
    const first = await get(app, { abortAfterFirst: true });
    expect(first.ended).toBe('aborted-by-client');
    await vi.waitFor(() => expect(events).toContain('exit'), WAIT);
    expect(events).not.toContain('done');
    await vi.waitFor(() => expect(audits.running()).toEqual([]), WAIT);
    expect(runner.stopped).toBe(true);
    const second = await request(app).get(QUERY).set(AUTH);
    expect(second.status).toBe(200);
    expect(JSON.stringify(second.body)).toBe(oneMessage);
  });
});
