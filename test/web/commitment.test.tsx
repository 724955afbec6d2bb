// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CommitmentPage } from '../../web/src/views/commitment.js';
import { fakeFetch } from './helpers.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const VIEW = {
  id: 'uz-kz-trade-10b',
  title: 'Raise trade turnover to $10 billion',
  kind: 'target',
  parties: ['UZ', 'KZ'],
  tags: [],
  status: 'in_progress',
  timing: 'on_schedule',
  due: { text: 'by 2030', edtf: '../2030', earliest: null, latest: '2030-12-31' },
  nextFollowUp: '2026-03-31',
  metric: {
    name: 'trade turnover',
    unit: 'USD',
    baseline: { value: 4e9, asOf: '2025-11-15' },
    target: 1e10,
    latest: { value: 4.5e9, asOf: '2025-12-31' },
    progress: 0.083,
  },
  statement: {
    quote: 'The goal is $10 billion',
    madeAt: '2025-11-15',
    madeBy: ['Shavkat Mirziyoyev'],
  },
  sources: [{ publisher: 'Xinhua', url: 'https://english.news.cn/', publishedAt: '2025-11-15' }],
  outcome: null,
  supersededBy: null,
  revision: 2,
  recordedAt: '2025-11-15T10:00:00.000Z',
  updatedAt: '2026-01-02T10:00:00.000Z',
};

const HISTORY = {
  id: VIEW.id,
  events: [
    {
      position: 1,
      revision: 1,
      type: 'CommitmentRecorded',
      data: { statement: VIEW.statement, source: VIEW.sources[0] },
      recordedAt: '2025-11-15T10:00:00.000Z',
      recordedBy: 'alice',
      hash: 'a',
    },
    {
      position: 2,
      revision: 2,
      type: 'ProgressReported',
      data: { asOf: '2025-12-31', value: 4.5e9, note: 'year-end figure' },
      recordedAt: '2026-01-02T10:00:00.000Z',
      recordedBy: 'bob',
      hash: 'b',
    },
  ],
};

function serve(onPost: () => { status: number; body?: unknown }) {
  return fakeFetch((url, init) => {
    if (init.method === 'POST') return onPost();
    if (url.endsWith('/history')) return { status: 200, body: HISTORY };
    return { status: 200, body: VIEW, headers: { etag: '"2"' } };
  });
}

describe('A commitment', () => {
  it('shows the title, the quote with who and when, sources, the deadline both ways, and a chart with its table', async () => {
    serve(() => ({ status: 500 }));
    render(<CommitmentPage id={VIEW.id} query={new URLSearchParams()} />);
    await screen.findByRole('heading', { level: 1, name: VIEW.title });
    expect(screen.getByText('The goal is $10 billion').tagName).toBe('BLOCKQUOTE');
    expect(screen.getByText(/Shavkat Mirziyoyev/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Xinhua' }).getAttribute('href')).toBe(
      'https://english.news.cn/',
    );
    expect(screen.getByText('by 2030')).toBeTruthy();
    const latest = screen.getAllByText('31 Dec 2030')[0]!;
    expect(latest.getAttribute('title')).toBe('2030-12-31');
    const chart = screen.getByRole('img', { name: 'Progress of trade turnover' });
    expect(chart.querySelector('desc')?.textContent).toContain(
      'From $4 billion on 15 Nov 2025 to $4.5 billion on 31 Dec 2025; the target is $10 billion by 31 Dec 2030.',
    );
    const table = screen.getByRole('table', { name: 'Progress of trade turnover' });
    expect(within(table).getAllByRole('row')).toHaveLength(4);
    const timeline = screen.getByRole('table', { name: /^Timeline/ });
    expect(
      within(timeline).getByText('Progress reported: $4.5 billion (year-end figure)'),
    ).toBeTruthy();
    expect(within(timeline).getByText('bob')).toBeTruthy();
  });

  it('as known on an earlier instant, leaves out later events and offers no forms', async () => {
    serve(() => ({ status: 500 }));
    render(
      <CommitmentPage
        id={VIEW.id}
        query={new URLSearchParams({ knownAt: '2025-12-01T00:00:00.999Z' })}
      />,
    );
    await screen.findByRole('heading', { level: 1, name: VIEW.title });
    const timeline = screen.getByRole('table', { name: /^Timeline/ });
    expect(within(timeline).getAllByRole('row')).toHaveLength(2);
    expect(screen.queryByRole('form', { name: 'Report progress' })).toBeNull();
  });

  it('follows the history pages, so every event is on the timeline', async () => {
    const [first, second] = HISTORY.events;
    const seen = fakeFetch((url) => {
      if (url.endsWith('/history'))
        return { status: 200, body: { id: VIEW.id, events: [first], nextCursor: '1' } };
      if (url.endsWith('/history?cursor=1'))
        return { status: 200, body: { id: VIEW.id, events: [second], nextCursor: null } };
      return { status: 200, body: VIEW, headers: { etag: '"2"' } };
    });
    render(<CommitmentPage id={VIEW.id} query={new URLSearchParams()} />);
    await screen.findByRole('heading', { level: 1, name: VIEW.title });
    const timeline = await screen.findByRole('table', { name: /^Timeline/ });
    expect(
      await within(timeline).findByText('Progress reported: $4.5 billion (year-end figure)'),
    ).toBeTruthy();
    expect(within(timeline).getAllByRole('row')).toHaveLength(3);
    expect(seen.map((s) => s.url).filter((u) => u.includes('/history'))).toEqual([
      '/commitments/uz-kz-trade-10b/history',
      '/commitments/uz-kz-trade-10b/history?cursor=1',
    ]);
  });

  it('sends a follow-up with If-Match and says "changed since you loaded it: reload" on 412', async () => {
    const seen = serve(() => ({
      status: 412,
      body: { status: 412, title: 'Precondition failed', detail: 'revision is 3' },
    }));
    render(<CommitmentPage id={VIEW.id} query={new URLSearchParams()} />);
    await screen.findByRole('heading', { level: 1, name: VIEW.title });
    const form = screen.getByRole('form', { name: 'Report progress' });
    fireEvent.input(within(form).getByLabelText('As of'), { target: { value: '2026-01-31' } });
    fireEvent.input(within(form).getByLabelText(/Value/), { target: { value: '5000000000' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Report progress' }));
    const alert = await within(form).findByRole('alert');
    expect(alert.textContent).toContain('This commitment changed since you loaded it: reload.');
    const post = seen.find((s) => s.method === 'POST')!;
    expect(post.url).toBe('/commitments/uz-kz-trade-10b/progress');
    expect(post.headers['If-Match']).toBe('"2"');
    expect(post.body).toEqual({ asOf: '2026-01-31', value: 5e9 });
  });
});
