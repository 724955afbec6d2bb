/**
 * Concurrency (issue 8): racing writers with the same If-Match give exactly one winner; racing
 * Idempotency-Key retries append exactly once; the CLI importing into the data dir while the
 * server writes to it loses nothing and corrupts nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import {
  commitmentBody,
  getJson,
  inProcessServer,
  postJson,
  removeDir,
  runCli,
  spawnServer,
  tempDir,
  type HistoryEvent,
  type VerifyBody,
} from './helpers.js';

const N = 16;

describe('concurrency', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) removeDir(d);
  });

  it('16 writers racing with the same If-Match: exactly one 201 per round, the rest 412', async () => {
    const app = await inProcessServer();
    try {
      expect(
        (await postJson(`${app.url}/commitments`, commitmentBody('race-if-match'))).status,
      ).toBe(201);
      for (let revision = 1; revision <= 5; revision += 1) {
        const results = await Promise.all(
          Array.from({ length: N }, (_, i) =>
            postJson(
              `${app.url}/commitments/race-if-match/progress`,
              { asOf: '2025-12-31', value: i, note: `round ${revision} writer ${i}` },
              { 'if-match': `"${revision}"` },
            ),
          ),
        );
        const statuses = results.map((r) => r.status).sort();
        expect(statuses).toEqual([201, ...Array<number>(N - 1).fill(412)]);
        for (const r of results.filter((x) => x.status === 412)) {
          expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        }
        const winner = results.find((r) => r.status === 201);
        expect(winner?.headers.get('etag')).toBe(`"${revision + 1}"`);
      }
      const h = await getJson<{ events: HistoryEvent[] }>(
        `${app.url}/commitments/race-if-match/history`,
      );
      expect(h.body.events.map((e) => e.revision)).toEqual([1, 2, 3, 4, 5, 6]);
    } finally {
      await app.close();
    }
  });

  it('16 racing retries with one Idempotency-Key: one append, 16 identical 201s (commands and records)', async () => {
    const app = await inProcessServer();
    try {
      expect((await postJson(`${app.url}/commitments`, commitmentBody('race-idem'))).status).toBe(
        201,
      );
      const head0 = await app.head();
      const body = { asOf: '2025-12-31', value: 7, note: 'once' };
      const results = await Promise.all(
        Array.from({ length: N }, () =>
          postJson(`${app.url}/commitments/race-idem/progress`, body, {
            'idempotency-key': 'key-progress-1',
          }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array<number>(N).fill(201));
      for (const r of results) expect(r.body).toEqual(results[0]?.body);
      expect(await app.head()).toBe(head0 + 1);

      // A record without an id: the server makes one, once.
      const rec = commitmentBody(undefined, { title: 'Server-named commitment' });
      const made = await Promise.all(
        Array.from({ length: N }, () =>
          postJson(`${app.url}/commitments`, rec, { 'idempotency-key': 'key-record-1' }),
        ),
      );
      expect(made.map((r) => r.status)).toEqual(Array<number>(N).fill(201));
      expect(new Set(made.map((r) => r.body.id)).size).toBe(1);
      expect(await app.head()).toBe(head0 + 2);

      // The same key with another body: 422, nothing written.
      const other = await postJson(
        `${app.url}/commitments/race-idem/progress`,
        { ...body, value: 8 },
        { 'idempotency-key': 'key-progress-1' },
      );
      expect(other.status).toBe(422);
      expect(await app.head()).toBe(head0 + 2);
      const h = await getJson<{ events: HistoryEvent[] }>(
        `${app.url}/commitments/race-idem/history`,
      );
      expect(h.body.events.filter((e) => e.data.note === 'once')).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('racing Idempotency-Key retries across a restart of the real server append once', async () => {
    const dir = tempDir('idem-restart');
    dirs.push(dir);
    let srv = await spawnServer({ dataDir: dir });
    const body = commitmentBody('idem-restart');
    const first = await Promise.all(
      Array.from({ length: 8 }, () =>
        postJson(`${srv.url}/commitments`, body, { 'idempotency-key': 'k-restart' }),
      ),
    );
    expect(first.map((r) => r.status)).toEqual(Array<number>(8).fill(201));
    await srv.kill();
    srv = await spawnServer({ dataDir: dir });
    try {
      const again = await Promise.all(
        Array.from({ length: 8 }, () =>
          postJson(`${srv.url}/commitments`, body, { 'idempotency-key': 'k-restart' }),
        ),
      );
      expect(again.map((r) => r.status)).toEqual(Array<number>(8).fill(201));
      for (const r of again) expect(r.body).toEqual(first[0]?.body);
      const ev = await getJson<{ events: unknown[] }>(`${srv.url}/events?limit=500`);
      expect(ev.body.events).toHaveLength(1);
    } finally {
      await srv.stop();
    }
  });

  it('a retry after a crash between the COMMIT and storing the key still appends once', async () => {
    const dir = tempDir('idem-gap');
    dirs.push(dir);
    let app = await inProcessServer({ dir });
    const body = { asOf: '2025-12-31', value: 3, note: 'gap' };
    try {
      expect((await postJson(`${app.url}/commitments`, commitmentBody('idem-gap'))).status).toBe(
        201,
      );
      const first = await postJson(`${app.url}/commitments/idem-gap/progress`, body, {
        'idempotency-key': 'k-gap',
      });
      expect(first.status).toBe(201);
      // The crash: the event is committed, the stored response is not.
      app.tracker.localDb.prepare('DELETE FROM http_idempotency').run();
    } finally {
      await app.close();
    }
    app = await inProcessServer({ dir });
    try {
      const head = await app.head();
      const retries = await Promise.all(
        Array.from({ length: 4 }, () =>
          postJson(`${app.url}/commitments/idem-gap/progress`, body, {
            'idempotency-key': 'k-gap',
          }),
        ),
      );
      expect(retries.map((r) => r.status)).toEqual([201, 201, 201, 201]);
      expect(await app.head()).toBe(head);
      for (const r of retries) expect(r.body.revision).toBe(2);
    } finally {
      await app.close();
    }
  });

  it('the CLI importing while the server writes: nothing lost, nothing corrupted', async () => {
    const dir = tempDir('import-race');
    dirs.push(dir);
    const file = path.join(dir, 'import.ndjson');
    const imported = Array.from({ length: 400 }, (_, i) => commitmentBody(`imp-${i}`));
    fs.writeFileSync(file, imported.map((b) => JSON.stringify(b)).join('\n') + '\n');

    const srv = await spawnServer({ dataDir: dir });
    try {
      expect((await postJson(`${srv.url}/commitments`, commitmentBody('srv-base'))).status).toBe(
        201,
      );
      const acks: Array<{ id: string; revision: number; note: string }> = [];
      let importing = true;
      const writer = async (w: number): Promise<void> => {
        for (let i = 0; importing || i < 5; i += 1) {
          const note = `w${w}-${i}`;
          const r =
            i % 4 === 0
              ? await postJson(`${srv.url}/commitments`, commitmentBody(`srv-${w}-${i}`))
              : await postJson(`${srv.url}/commitments/srv-base/progress`, {
                  asOf: '2025-12-31',
                  value: i,
                  note,
                });
          expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
          if (r.status === 201) {
            acks.push({
              id: String(r.body.id),
              revision: Number(r.body.revision),
              note: i % 4 === 0 ? '' : note,
            });
          }
        }
      };
      const writers = Array.from({ length: 8 }, (_, w) => writer(w));
      const cli = await runCli(['import', file], { dataDir: dir, timeoutMs: 120_000 });
      importing = false;
      await Promise.all(writers);
      expect(cli.code, cli.stdout + cli.stderr).toBe(0);
      expect(acks.length).toBeGreaterThan(8);

      // Every imported commitment is there.
      for (const b of imported) {
        const r = await getJson<{ id: string }>(`${srv.url}/commitments/${String(b.id)}`);
        expect(r.status, `imported ${String(b.id)}`).toBe(200);
      }
      // Every write the server acknowledged is there.
      const base = await getJson<{ events: HistoryEvent[] }>(
        `${srv.url}/commitments/srv-base/history`,
      );
      for (const a of acks) {
        if (a.note) {
          expect(base.body.events.find((e) => e.revision === a.revision)?.data.note).toBe(a.note);
        } else {
          expect((await getJson(`${srv.url}/commitments/${a.id}`)).status).toBe(200);
        }
      }
      const v = await getJson<VerifyBody>(`${srv.url}/audit/verify`);
      expect(v.body.chain).toEqual({ ok: true });
      expect(v.body.readModel).toEqual({ ok: true, mismatches: [] });
      expect(v.body.events).toBe(400 + 1 + acks.length);

      // Importing the same file again adds nothing.
      const headBefore = (await getJson<{ position: number }>(`${srv.url}/health`)).body.position;
      const again = await runCli(['import', file], { dataDir: dir, timeoutMs: 120_000 });
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect((await getJson<{ position: number }>(`${srv.url}/health`)).body.position).toBe(
        headBefore,
      );
    } finally {
      await srv.stop();
    }
    const cliVerify = await runCli(['verify'], { dataDir: dir });
    expect(cliVerify.code, cliVerify.stdout).toBe(0);
  });
});
