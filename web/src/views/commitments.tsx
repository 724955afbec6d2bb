/**
 * Commitments (`/app/commitments?status=&party=&tag=&q=`): a filterable, sortable, paged table.
 * Filters, sort and the page cursor live in the address. "Download CSV" saves the rows shown.
 */
import { useState } from 'preact/hooks';
import { STATUSES } from '../../../projections/types.js';
import { apiPath } from '../api.js';
import { DateText, ErrorMessage, Loading, StatusBadge, TableWrap } from '../components.js';
import { humanise, toCsv } from '../format.js';
import { useApi, useTitle } from '../hooks.js';
import { href, navigate } from '../router.js';
import type { ListPage, View } from '../types.js';

const FILTERS = ['status', 'party', 'tag', 'q'] as const;
const PAGE_SIZE = 50;

type SortKey = 'title' | 'status' | 'parties' | 'due' | 'next';
const COLUMNS: Array<{ key: SortKey; label: string }> = [
  { key: 'title', label: 'Title' },
  { key: 'status', label: 'Status' },
  { key: 'parties', label: 'Parties' },
  { key: 'due', label: 'Deadline' },
  { key: 'next', label: 'Next follow-up' },
];

function sortValue(v: View, key: SortKey): string {
  switch (key) {
    case 'title':
      return v.title.toLowerCase();
    case 'status':
      return v.status;
    case 'parties':
      return v.parties.join(', ');
    case 'due':
      return v.due?.latest ?? '9999';
    case 'next':
      return v.nextFollowUp ?? '9999';
  }
}

export function sortViews(items: readonly View[], sort: string | null): View[] {
  if (!sort) return [...items];
  const desc = sort.startsWith('-');
  const key = (desc ? sort.slice(1) : sort) as SortKey;
  if (!COLUMNS.some((c) => c.key === key)) return [...items];
  return [...items].sort((a, b) => {
    const c = sortValue(a, key).localeCompare(sortValue(b, key));
    return desc ? -c : c;
  });
}

export function csvOf(items: readonly View[]): string {
  return toCsv([
    [
      'id',
      'title',
      'kind',
      'status',
      'parties',
      'tags',
      'deadline',
      'deadline_text',
      'next_follow_up',
    ],
    ...items.map((v) => [
      v.id,
      v.title,
      v.kind,
      v.status,
      v.parties.join('; '),
      v.tags.join('; '),
      v.due?.latest ?? '',
      v.due?.text ?? '',
      v.nextFollowUp ?? '',
    ]),
  ]);
}

function queryObject(query: URLSearchParams): Record<string, string | undefined> {
  const o: Record<string, string | undefined> = {};
  for (const k of [...FILTERS, 'sort', 'cursor', 'page']) o[k] = query.get(k) ?? undefined;
  return o;
}

export function Commitments({ query }: { query: URLSearchParams }) {
  useTitle('Commitments');
  const current = queryObject(query);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const value = (k: (typeof FILTERS)[number]): string => draft[k] ?? current[k] ?? '';
  const path = apiPath('/commitments', {
    status: current.status,
    party: current.party,
    tag: current.tag,
    q: current.q,
    cursor: current.cursor,
    limit: PAGE_SIZE,
  });
  const list = useApi<ListPage>(path);
  const page = Number(current.page ?? '1') || 1;

  const apply = (e: Event): void => {
    e.preventDefault();
    const next: Record<string, string | undefined> = { sort: current.sort };
    for (const k of FILTERS) next[k] = value(k).trim() || undefined;
    setDraft({});
    navigate(href('/commitments', next));
  };

  const sortHref = (key: SortKey): string => {
    const next = current.sort === key ? `-${key}` : key;
    return href('/commitments', { ...current, sort: next });
  };

  const items = list.state === 'ok' ? sortViews(list.data.items, current.sort ?? null) : [];
  const [csvUrl, setCsvUrl] = useState<string | null>(null);

  return (
    <>
      <h1 tabIndex={-1}>Commitments</h1>
      <form class="filters" onSubmit={apply} aria-label="Filters">
        <div class="field">
          <label for="f-status">Status</label>
          <select
            id="f-status"
            value={value('status')}
            onChange={(e) => setDraft({ ...draft, status: (e.target as HTMLSelectElement).value })}
          >
            <option value="">Any</option>
            {[
              ...STATUSES,
              ...(current.status && !(STATUSES as readonly string[]).includes(current.status)
                ? [current.status]
                : []),
            ].map((s) => (
              <option value={s} key={s}>
                {humanise(s)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-party">Party</label>
          <input
            id="f-party"
            value={value('party')}
            onInput={(e) => setDraft({ ...draft, party: (e.target as HTMLInputElement).value })}
          />
        </div>
        <div class="field">
          <label for="f-tag">Tag</label>
          <input
            id="f-tag"
            value={value('tag')}
            onInput={(e) => setDraft({ ...draft, tag: (e.target as HTMLInputElement).value })}
          />
        </div>
        <div class="field">
          <label for="f-q">Search</label>
          <input
            id="f-q"
            type="search"
            value={value('q')}
            onInput={(e) => setDraft({ ...draft, q: (e.target as HTMLInputElement).value })}
          />
        </div>
        <div class="field actions">
          <button type="submit">Apply filters</button>
          <a href={href('/commitments')}>Clear</a>
        </div>
      </form>

      {list.state === 'loading' && <Loading what="commitments" />}
      {list.state === 'error' && <ErrorMessage error={list.error} onRetry={list.reload} />}
      {list.state === 'ok' && (
        <>
          <p class="count" role="status">
            {list.data.total !== undefined
              ? `${list.data.total} commitment${list.data.total === 1 ? '' : 's'} match.`
              : `${items.length} shown.`}{' '}
            <button
              type="button"
              onClick={() => {
                if (csvUrl) URL.revokeObjectURL(csvUrl);
                const url = URL.createObjectURL(
                  new Blob([csvOf(items)], { type: 'text/csv;charset=utf-8' }),
                );
                setCsvUrl(url);
                const a = document.createElement('a');
                a.href = url;
                a.download = 'commitments.csv';
                document.body.appendChild(a);
                a.click();
                a.remove();
              }}
            >
              Download CSV
            </button>
          </p>
          <TableWrap label="Commitments">
            <table>
              <caption>Commitments</caption>
              <thead>
                <tr>
                  {COLUMNS.map((c) => {
                    const active =
                      current.sort === c.key
                        ? 'ascending'
                        : current.sort === `-${c.key}`
                          ? 'descending'
                          : undefined;
                    return (
                      <th scope="col" key={c.key} aria-sort={active}>
                        <a href={sortHref(c.key)}>
                          {c.label}
                          <span class="sort-mark" aria-hidden="true">
                            {active === 'ascending' ? ' ▲' : active === 'descending' ? ' ▼' : ''}
                          </span>
                        </a>
                      </th>
                    );
                  })}
                </tr>
              </thead>
              <tbody>
                {items.length === 0 && (
                  <tr>
                    <td colSpan={COLUMNS.length}>No commitment matches these filters.</td>
                  </tr>
                )}
                {items.map((v) => (
                  <tr key={v.id}>
                    <td>
                      <a href={href(`/commitments/${encodeURIComponent(v.id)}`)}>{v.title}</a>
                    </td>
                    <td>
                      <StatusBadge status={v.status} />
                    </td>
                    <td>{v.parties.join(', ')}</td>
                    <td>
                      <DateText iso={v.due?.latest} />
                    </td>
                    <td>
                      <DateText iso={v.nextFollowUp} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <nav class="pager" aria-label="Commitments pages">
            <span>
              Page {page}
              {list.data.total !== undefined
                ? ` of ${Math.max(1, Math.ceil(list.data.total / PAGE_SIZE))}`
                : ''}
            </span>
            {current.cursor && (
              <a href={href('/commitments', { ...current, cursor: undefined, page: undefined })}>
                First page
              </a>
            )}
            {list.data.nextCursor && (
              <a
                href={href('/commitments', {
                  ...current,
                  cursor: list.data.nextCursor,
                  page: String(page + 1),
                })}
              >
                Next page
              </a>
            )}
          </nav>
        </>
      )}
    </>
  );
}
