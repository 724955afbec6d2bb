/**
 * The streamed exports read the read model lazily, one page per chunk: memory holds a page, not
 * the export, and a consumer that stops (a client gone) stops the reading. The streamed bytes
 * are the same as the one-string renderings.
 */
import { describe, expect, it } from 'vitest';
import type { CommitmentView } from '../../../projections/types.js';
import {
  csvChunks,
  EXPORT_PAGE,
  icsChunks,
  renderCsv,
  renderIcs,
  type ViewLister,
} from '../../../src/export/index.js';
import type { ListFilter, ListPage } from '../../../src/read-model/types.js';

function view(i: number): CommitmentView {
  const id = `c-${String(i).padStart(6, '0')}`;
  return {
    id,
    title: `Commitment ${i}`,
    kind: 'meeting',
    parties: ['UZ', 'KZ'],
    tags: [],
    status: 'open',
    timing: 'on_schedule',
    overdue: [],
    next: null,
    due: { text: 'in 2030', edtf: '2030', earliest: '2030-01-01', latest: '2030-12-31' },
    nextFollowUp: '2026-02-15',
    metric: null,
    statement: { quote: 'We will meet.', madeAt: '2025-11-15' },
    sources: [{ publisher: 'Xinhua', publishedAt: '2025-11-15' }],
    outcome: null,
    supersededBy: null,
    assessment: null,
    withdrawal: null,
    supersession: null,
    assessments: [],
    compliance: { average: null, scored: 0, counts: { '-1': 0, '0': 0, '1': 0 } },
    revision: 1,
    recordedAt: '2025-11-15T10:00:00.000Z',
    updatedAt: '2025-11-15T10:00:00.000Z',
  } as CommitmentView;
}

/** A lister over `n` views that records each page asked for. */
function lister(n: number): ViewLister & { calls: ListFilter[] } {
  const all = Array.from({ length: n }, (_, i) => view(i));
  const calls: ListFilter[] = [];
  return {
    calls,
    async list(f: ListFilter): Promise<ListPage> {
      calls.push(f);
      const start = f.cursor === undefined ? 0 : Number(f.cursor);
      const items = all.slice(start, start + f.limit);
      const end = start + items.length;
      return { items, nextCursor: end < n ? String(end) : null } as ListPage;
    },
  };
}

describe('streamed exports', () => {
  it('read one page per chunk, and no further than the consumer asks', async () => {
    const l = lister(EXPORT_PAGE * 50);
    const it = icsChunks(l, { asOf: '2026-01-01', name: 'Commitments' })[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.done).toBe(false);
    expect(l.calls).toHaveLength(1);
    await it.next();
    expect(l.calls).toHaveLength(2);
    await it.return?.(undefined); // the client went away
    expect(l.calls).toHaveLength(2);
    expect(l.calls.every((c) => c.limit === EXPORT_PAGE)).toBe(true);
  });

  it('stream the same bytes as the one-string renderings, with the calendar ending once', async () => {
    const n = EXPORT_PAGE * 2 + 7;
    const views = Array.from({ length: n }, (_, i) => view(i));
    let ics = '';
    for await (const c of icsChunks(lister(n), { asOf: '2026-01-01', name: 'Commitments' }))
      ics += c;
    expect(ics).toBe(renderIcs(views, { name: 'Commitments' }));
    expect(ics.match(/END:VCALENDAR/g)).toHaveLength(1);
    let csv = '';
    for await (const c of csvChunks(lister(n), { asOf: '2026-01-01', bom: false })) csv += c;
    expect(csv).toBe(renderCsv(views, { bom: false }));
    expect(csv.split('\r\n')).toHaveLength(n + 2); // header, n rows, and the empty tail
  });

  it('an empty store gives a header-only CSV and an empty but valid calendar', async () => {
    let csv = '';
    for await (const c of csvChunks(lister(0), { asOf: '2026-01-01' })) csv += c;
    expect(csv).toBe(`\uFEFF${renderCsv([], { bom: false })}`);
    let ics = '';
    for await (const c of icsChunks(lister(0), { asOf: '2026-01-01', name: 'X' })) ics += c;
    expect(ics).toBe(renderIcs([], { name: 'X' }));
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });
});
