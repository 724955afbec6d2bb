/**
 * Issue 15 in the lists: `?assessment=` (the latest review's assessment, which the status follows),
 * `?dueVague=`, and parties given by name (`?party=Kazakhstan` = `?party=KZ`), also for data an
 * older version stored with names: normalised on read, the events unchanged.
 */
import { randomUUID } from 'node:crypto';
import { eventHash, GENESIS_HASH } from '../../src/store/hash-chain.js';
import type { EventStore } from '../../src/store/port.js';
import type { SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.js';
import { parse as parseCsv } from 'csv-parse/sync';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListPageSchema } from '../../src/http/schemas.js';
import { harness, type Harness } from './helpers.js';

function body(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    title: `Commitment ${id}`,
    kind: 'agreement',
    parties: ['UZ', 'KZ'],
    statement: { quote: `We agree on ${id}`, madeAt: '2025-11-15' },
    source: { publisher: 'Xinhua', publishedAt: '2025-11-15' },
    due: { text: 'by 2030' },
    ...extra,
  };
}

const ids = (res: request.Response): string[] =>
  ListPageSchema.parse(res.body).items.map((v) => v.id);

describe('lists by assessment, vague deadline and party name', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ now: '2026-01-10T12:00:00.000Z' });
    const record = async (b: Record<string, unknown>) => {
      const res = await request(h.app).post('/commitments').send(b);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as Record<string, unknown>;
    };
    await record(body('c-at-risk'));
    await record(body('c-on-track'));
    await record(body('c-stalled'));
    await record(body('c-unreviewed'));
    await record(body('c-vague', { due: { text: 'soon', vague: true } }));
    await record(body('c-names', { parties: ['Uzbekistan', 'Republic of Kazakhstan'] }));
    await record(body('c-other', { parties: ['European Union', 'JP'] }));
    for (const [id, assessment] of [
      ['c-at-risk', 'on_track'],
      ['c-at-risk', 'at_risk'],
      ['c-on-track', 'on_track'],
      ['c-stalled', 'stalled'],
    ] as const) {
      const res = await request(h.app)
        .post(`/commitments/${id}/reviews`)
        .send({ reviewedAt: '2026-01-05', assessment });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  });
  afterAll(async () => {
    await h.close();
  });

  it('the status follows the latest assessment: at_risk and stalled are statuses', async () => {
    const get = async (id: string) => (await request(h.app).get(`/commitments/${id}`)).body;
    expect(await get('c-at-risk')).toMatchObject({
      status: 'at_risk',
      assessment: { value: 'at_risk', at: '2026-01-05', note: null },
    });
    expect((await get('c-on-track')).status).toBe('in_progress');
    expect((await get('c-stalled')).status).toBe('stalled');
    expect(await get('c-unreviewed')).toMatchObject({ status: 'open', assessment: null });
  });

  it('?assessment= lists the commitments whose latest review says so; none: no review yet', async () => {
    expect(ids(await request(h.app).get('/commitments?assessment=at_risk'))).toEqual(['c-at-risk']);
    expect(ids(await request(h.app).get('/commitments?assessment=on_track'))).toEqual([
      'c-on-track',
    ]);
    expect(ids(await request(h.app).get('/commitments?assessment=stalled'))).toEqual(['c-stalled']);
    expect(ids(await request(h.app).get('/commitments?assessment=none'))).toEqual([
      'c-names',
      'c-other',
      'c-unreviewed',
      'c-vague',
    ]);
    // With the status filter: the two agree on an open commitment.
    expect(ids(await request(h.app).get('/commitments?status=at_risk&assessment=at_risk'))).toEqual(
      ['c-at-risk'],
    );
    const bad = await request(h.app).get('/commitments?assessment=doomed');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('assessment');
  });

  it('?dueVague=true lists the deadlines kept as vague phrases, false leaves them out', async () => {
    const vague = await request(h.app).get('/commitments?dueVague=true');
    expect(ids(vague)).toEqual(['c-vague']);
    expect(ListPageSchema.parse(vague.body).items[0]?.due).toMatchObject({
      text: 'soon',
      edtf: null,
      earliest: null,
      latest: null,
      vague: true,
    });
    const dated = ids(await request(h.app).get('/commitments?dueVague=false'));
    expect(dated).not.toContain('c-vague');
    expect(dated).toHaveLength(6);
    const bad = await request(h.app).get('/commitments?dueVague=yes');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('dueVague');
  });

  it('parties given by name are stored as codes, and ?party= resolves names, alpha-3 and Russian', async () => {
    expect((await request(h.app).get('/commitments/c-names')).body.parties).toEqual(['UZ', 'KZ']);
    const byCode = ids(await request(h.app).get('/commitments?party=KZ'));
    expect(byCode).toContain('c-names');
    expect(byCode).not.toContain('c-other');
    for (const form of [
      'Kazakhstan',
      'kz',
      'KAZ',
      'Республика Казахстан',
      'Republic of Kazakhstan',
    ]) {
      const res = await request(h.app).get(`/commitments?party=${encodeURIComponent(form)}`);
      expect(ids(res), form).toEqual(byCode);
    }
    // An organisation stays a name.
    expect(ids(await request(h.app).get('/commitments?party=European%20Union'))).toEqual([
      'c-other',
    ]);
  });

  it('the agenda queries resolve names too (the path the CLI takes)', async () => {
    const byCode = await h.tracker.upcoming({
      asOf: '2026-01-10',
      until: '2031-01-01',
      party: 'KZ',
    });
    expect(byCode.items.length).toBeGreaterThan(0);
    expect(
      await h.tracker.upcoming({ asOf: '2026-01-10', until: '2031-01-01', party: 'Казахстан' }),
    ).toEqual(byCode);
    const overdue = await h.tracker.overdue({ asOf: '2031-06-01', party: 'Kazakhstan' });
    expect(overdue.items.map((i) => i.commitmentId)).toContain('c-names');
  });

  it('the CSV shows the latest assessment, when it was made, and the compliance average', async () => {
    const res = await request(h.app).get('/commitments.csv').expect(200);
    const records = parseCsv(res.text.replace(/^\uFEFF/, ''), { columns: true }) as Array<
      Record<string, string>
    >;
    const row = (id: string) => records.find((r) => r['id'] === id);
    expect(row('c-at-risk')).toMatchObject({
      status: 'at_risk',
      assessment: 'at_risk',
      assessed_at: '2026-01-05',
      compliance_average: '',
    });
    expect(row('c-stalled')?.['assessment']).toBe('stalled');
    expect(row('c-unreviewed')).toMatchObject({ assessment: '', assessed_at: '' });
  });

  it('the CSV filters by ?assessment= as the list does; a bad one is a 400 naming the field', async () => {
    const csvIds = async (q: string): Promise<string[]> => {
      const res = await request(h.app).get(`/commitments.csv?${q}`).expect(200);
      return (
        parseCsv(res.text.replace(/^\uFEFF/, ''), { columns: true }) as Array<
          Record<string, string>
        >
      ).map((r) => r['id'] as string);
    };
    expect(await csvIds('assessment=at_risk')).toEqual(['c-at-risk']);
    expect(await csvIds('assessment=stalled')).toEqual(['c-stalled']);
    expect(await csvIds('assessment=none')).toEqual(
      ids(await request(h.app).get('/commitments?assessment=none')),
    );
    const bad = await request(h.app).get('/commitments.csv?assessment=doomed');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('assessment');
  });

  it("the calendar says each commitment's latest assessment", async () => {
    const res = await request(h.app).get('/calendar.ics').expect(200);
    const unfolded = res.text.replace(/\r\n /g, '');
    const atRisk = unfolded
      .split('BEGIN:VEVENT')
      .find((e) => e.includes('UID:c-at-risk-deadline@'));
    expect(atRisk).toContain('Assessment: at_risk (2026-01-05)');
    const unreviewed = unfolded
      .split('BEGIN:VEVENT')
      .find((e) => e.includes('UID:c-unreviewed-deadline@'));
    expect(unreviewed).toBeDefined();
    expect(unreviewed).not.toContain('Assessment:');
  });

  it('data stored with names by an older version is normalised on read; its events are not rewritten', async () => {
    const data = {
      id: 'c-legacy',
      title: 'Stored before names were resolved',
      kind: 'agreement',
      parties: ['Uzbekistan', 'Kazakhstan'],
      statement: { quote: 'A legacy record', madeAt: '2025-11-15' },
      source: { publisher: 'Xinhua', publishedAt: '2025-11-15' },
      metric: null,
      due: null,
      reviewEvery: 'P3M',
      tags: [],
    };
    storedByAnOlderVersion(h.tracker.store, 'commitment-c-legacy', data);
    const view = (await request(h.app).get('/commitments/c-legacy')).body;
    expect(view.parties).toEqual(['UZ', 'KZ']);
    expect(ids(await request(h.app).get('/commitments?party=Kazakhstan'))).toContain('c-legacy');
    const stored = await h.tracker.store.readStream('commitment-c-legacy');
    expect((stored[0]?.data as { parties: string[] }).parties).toEqual([
      'Uzbekistan',
      'Kazakhstan',
    ]);
  });
});

/** The read-model schema version of the release before issue 15 (parties kept as names). */
const VERSION_BEFORE_ISSUE_15 = 3;

describe('upgrading a read model built before parties were resolved (issue 15)', () => {
  it('is rebuilt from the log on open, so ?party=KZ finds what the older version stored as Kazakhstan', async () => {
    const h = await harness({ now: '2026-01-10T12:00:00.000Z' });
    try {
      storedByAnOlderVersion(h.tracker.store, 'commitment-c-old', {
        id: 'c-old',
        title: 'Recorded by an older version',
        kind: 'agreement',
        parties: ['Uzbekistan', 'Kazakhstan'],
        statement: { quote: 'An old record', madeAt: '2025-11-15' },
        source: { publisher: 'Xinhua', publishedAt: '2025-11-15' },
        metric: null,
        due: null,
        reviewEvery: 'P3M',
        tags: [],
      });
      // The rows as the previous read-model version left them: parties kept as names.
      const db = h.tracker.localDb;
      const row = db.prepare("SELECT state_json FROM rm_commitments WHERE id = 'c-old'").get() as {
        state_json: string;
      };
      const state = JSON.parse(row.state_json) as { parties: string[] };
      state.parties = ['Uzbekistan', 'Kazakhstan'];
      db.prepare(
        "UPDATE rm_commitments SET state_json = ?, parties_json = ? WHERE id = 'c-old'",
      ).run(JSON.stringify(state), JSON.stringify(state.parties));
      db.prepare("DELETE FROM rm_parties WHERE commitment_id = 'c-old'").run();
      for (const p of state.parties) {
        db.prepare("INSERT INTO rm_parties (commitment_id, party) VALUES ('c-old', ?)").run(p);
      }
      db.prepare("UPDATE rm_meta SET value = ? WHERE key = 'schema_version'").run(
        String(VERSION_BEFORE_ISSUE_15),
      );
      expect(ids(await request(h.app).get('/commitments?party=KZ'))).toEqual([]);

      await h.restart();
      expect(ids(await request(h.app).get('/commitments?party=Kazakhstan'))).toEqual(['c-old']);
      expect((await request(h.app).get('/commitments/c-old')).body.parties).toEqual(['UZ', 'KZ']);
    } finally {
      await h.close();
    }
  });
});

/**
 * An event as an older version stored it: schemaVersion 1, written before the store validated
 * at its door (issue 18), so its data may hold what the schema now changes (party names). The
 * port refuses such data today; the embedded store's import takes the event as it was stored.
 */
function storedByAnOlderVersion(store: EventStore, stream: string, data: unknown): void {
  const part = {
    stream,
    revision: 1,
    id: randomUUID(),
    type: 'CommitmentRecorded',
    data,
    metadata: {
      recordedAt: '2026-01-01T00:00:00.000Z',
      recordedBy: 'old-version',
      schemaVersion: 1,
    },
  };
  (store as SqliteEventStore).importEvents([
    { ...part, position: 0, hash: eventHash(GENESIS_HASH, part) },
  ]);
}
