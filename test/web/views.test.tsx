// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiKey } from '../../web/src/api.js';
import { App } from '../../web/src/app.js';
import { AGENDA_PAGE, fetchAgenda } from '../../web/src/views/agenda.js';
import { differences } from '../../web/src/views/audit.js';
import { OverviewBody } from '../../web/src/views/overview.js';
import type { Summary, View } from '../../web/src/types.js';
import { fakeFetch } from './helpers.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

/** GET /summary as issue 14 defines it. */
const SUMMARY: Summary = {
  asOf: '2026-01-10',
  knownAt: null,
  total: 6,
  byStatus: { open: 3, in_progress: 1, at_risk: 1, fulfilled: 1 },
  byKind: { target: 4, meeting: 2 },
  overdue: { commitments: 2, items: 3 },
  upcoming: { within: 'P30D', items: 4 },
  byParty: [
    { party: 'KZ', total: 5, byStatus: { open: 3, in_progress: 1, fulfilled: 1 }, overdue: 2 },
    { party: 'UZ', total: 2, byStatus: { at_risk: 1, open: 1 }, overdue: 0 },
  ],
};

describe('Overview', () => {
  it('shows counts by status as a meter and a table whose numbers link to the filtered list', () => {
    render(<OverviewBody summary={SUMMARY} scorecards={null} />);
    const table = screen.getByRole('table', { name: 'Commitments by status' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      'Open3',
      'In progress1',
      'At risk1',
      'Fulfilled1',
    ]);
    expect(within(table).getByRole('link', { name: '3' }).getAttribute('href')).toBe(
      '/app/commitments?status=open',
    );
    const meter = screen.getByRole('img');
    expect(meter.getAttribute('aria-label')).toBe(
      '6 commitments: 3 open, 1 in progress, 1 at risk, 1 fulfilled.',
    );
    expect(screen.getByRole('link', { name: /2 overdue/ }).getAttribute('href')).toBe(
      '/app/agenda?asOf=2026-01-10',
    );
  });

  it('has a "By party" table, with compliance only where assessed', () => {
    const { unmount } = render(<OverviewBody summary={SUMMARY} scorecards={null} />);
    const plain = screen.getByRole('table', { name: 'By party' });
    expect(within(plain).queryByText('Compliance')).toBeNull();
    const kz = within(plain).getByRole('row', { name: /^KZ/ });
    expect(within(kz).getByRole('link', { name: '5' }).getAttribute('href')).toBe(
      '/app/commitments?party=KZ',
    );
    unmount();
    render(
      <OverviewBody
        summary={SUMMARY}
        scorecards={{ parties: [{ party: 'KZ', average: 0.85, scored: 13 }] }}
      />,
    );
    const scored = screen.getByRole('table', { name: 'By party' });
    expect(within(scored).getByText('Compliance')).toBeTruthy();
    expect(within(scored).getByText('+0.85 (13 scored)')).toBeTruthy();
    expect(within(scored).getByText('not assessed')).toBeTruthy();
  });
});

describe('Agenda paging', () => {
  const items = Array.from({ length: 150 }, (_, i) => ({
    commitmentId: `c-${i}`,
    title: `C ${i}`,
    parties: ['KZ'],
    item: 'deadline',
    date: '2026-01-01',
    daysOverdue: i,
  }));

  it('sends limit and cursor as issue 14 says, and follows nextCursor', async () => {
    const seen = fakeFetch((url) =>
      url.includes('cursor=abc')
        ? {
            status: 200,
            body: { asOf: 'x', items: items.slice(100), nextCursor: null, total: 150 },
          }
        : {
            status: 200,
            body: { asOf: 'x', items: items.slice(0, 100), nextCursor: 'abc', total: 150 },
          },
    );
    const first = await fetchAgenda('overdue', { asOf: '2026-02-01' }, null);
    expect(seen[0]!.url).toBe(`/overdue?asOf=2026-02-01&limit=${AGENDA_PAGE}`);
    expect(first).toMatchObject({ nextCursor: 'abc', total: 150 });
    const second = await fetchAgenda('overdue', { asOf: '2026-02-01' }, 'abc');
    expect(seen[1]!.url).toBe(`/overdue?asOf=2026-02-01&limit=${AGENDA_PAGE}&cursor=abc`);
    expect(second.items).toHaveLength(50);
  });

  it('pages in the browser when the server refuses limit', async () => {
    const seen = fakeFetch((url) =>
      url.includes('limit=')
        ? {
            status: 400,
            body: { status: 400, errors: [{ path: 'limit', message: 'unknown field' }] },
          }
        : { status: 200, body: { asOf: 'x', items } },
    );
    const first = await fetchAgenda('overdue', {}, null);
    expect(seen.map((s) => s.url)).toEqual([`/overdue?limit=${AGENDA_PAGE}`, '/overdue']);
    expect(first.items).toHaveLength(100);
    expect(first.total).toBe(150);
    const second = await fetchAgenda('overdue', {}, first.nextCursor);
    expect(second.items.map((i) => i.commitmentId)[0]).toBe('c-100');
    expect(second.nextCursor).toBeNull();
  });
});

describe('Audit replay', () => {
  const view = (over: Partial<View>): View =>
    ({
      id: 'a-b-c',
      title: 'T',
      kind: 'target',
      parties: ['KZ'],
      tags: [],
      status: 'open',
      timing: 'on_schedule',
      due: null,
      nextFollowUp: null,
      metric: null,
      statement: { quote: 'q', madeAt: '2025-01-01' },
      sources: [],
      outcome: null,
      supersededBy: null,
      revision: 1,
      recordedAt: '',
      updatedAt: '',
      ...over,
    }) as View;

  it('lists what was recorded since and what changed', () => {
    const d = differences(
      [view({})],
      [view({ status: 'in_progress', revision: 2 }), view({ id: 'new-one', title: 'New' })],
    );
    expect(d).toEqual([
      { id: 'a-b-c', title: 'T', field: 'Status', then: 'Open', now: 'In progress' },
      { id: 'a-b-c', title: 'T', field: 'Revision', then: '1', now: '2' },
      { id: 'new-one', title: 'New', field: 'Recorded', then: 'not yet recorded', now: 'recorded' },
    ]);
  });
});

describe('The shell', () => {
  beforeEach(() => {
    window.history.replaceState(null, '', '/app/commitments');
  });

  it('has a nav landmark with the six views', () => {
    fakeFetch(() => ({ status: 200, body: { items: [], nextCursor: null } }));
    render(<App />);
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(
      within(nav)
        .getAllByRole('link')
        .map((a) => a.textContent),
    ).toEqual(['Overview', 'Commitments', 'Agenda', 'Record', 'Extract', 'Audit']);
    expect(
      within(nav).getByRole('link', { name: 'Commitments' }).getAttribute('aria-current'),
    ).toBe('page');
  });

  it('asks for an API key on 401, once, and sends it from then on', async () => {
    const seen = fakeFetch((_url, init) => {
      const auth = (init.headers as Record<string, string>).Authorization;
      return auth === 'Bearer s3cret'
        ? { status: 200, body: { items: [], nextCursor: null, total: 0 } }
        : { status: 401, body: { status: 401, detail: 'An API key is required' } };
    });
    render(<App />);
    const field = await screen.findByLabelText('API key');
    fireEvent.input(field, { target: { value: 's3cret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Use this key' }));
    await screen.findByText('0 commitments match.');
    expect(sessionStorage.getItem('commitments.apiKey')).toBe('s3cret');
    expect(seen.at(-1)!.headers.Authorization).toBe('Bearer s3cret');
    expect(screen.queryByLabelText('API key')).toBeNull();
  });

  it('offers to change the key once one is in use, and asks for another', async () => {
    fakeFetch((_url, init) => {
      const auth = (init.headers as Record<string, string>).Authorization;
      return auth === undefined
        ? { status: 401, body: { status: 401, detail: 'An API key is required' } }
        : { status: 200, body: { items: [], nextCursor: null, total: 0 } };
    });
    apiKey.clear(); // no key left by another test
    render(<App />);
    expect(screen.queryByRole('button', { name: 'Change API key' })).toBeNull();
    fireEvent.input(await screen.findByLabelText('API key'), { target: { value: 'reader-key' } });
    fireEvent.click(screen.getByRole('button', { name: 'Use this key' }));
    await screen.findByText('0 commitments match.');
    fireEvent.click(screen.getByRole('button', { name: 'Change API key' }));
    expect(await screen.findByLabelText('API key')).toBeTruthy();
    expect(sessionStorage.getItem('commitments.apiKey')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Change API key' })).toBeNull();
  });

  it('says when the store is unavailable', async () => {
    fakeFetch(() => ({
      status: 503,
      body: { status: 503, detail: 'store unreachable' },
      headers: { 'retry-after': '5' },
    }));
    render(<App />);
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toContain(
        'The store is unavailable right now; try again in 5 s.',
      ),
    );
  });
});
