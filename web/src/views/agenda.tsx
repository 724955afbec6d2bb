/**
 * Agenda (`/app/agenda?asOf=`): tables "Overdue" and "Upcoming", paged, with an "As of" date that
 * re-queries. Paging follows the issue 14 contract (`limit`, `cursor` → `{items, nextCursor,
 * total}`); a server that refuses `limit` still gets a paged table, cut in the browser.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, apiPath, ApiError } from '../api.js';
import { DateText, ErrorMessage, Loading, Pager, TableWrap } from '../components.js';
import { ITEM_LABELS, todayUtc } from '../format.js';
import { useEpoch, useTitle } from '../hooks.js';
import { href, navigate } from '../router.js';
import type { AgendaEntry, AgendaPage } from '../types.js';

export const AGENDA_PAGE = 100;
const LOCAL = 'local:';

export interface AgendaResult {
  items: AgendaEntry[];
  nextCursor: string | null;
  total: number | undefined;
}

/** One page of /overdue or /upcoming. */
export async function fetchAgenda(
  kind: 'overdue' | 'upcoming',
  query: Record<string, string | undefined>,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<AgendaResult> {
  const opts = signal ? { signal } : {};
  if (!cursor?.startsWith(LOCAL)) {
    try {
      const r = await api<AgendaPage>(
        apiPath(`/${kind}`, { ...query, limit: AGENDA_PAGE, cursor: cursor ?? undefined }),
        opts,
      );
      return { items: r.data.items, nextCursor: r.data.nextCursor ?? null, total: r.data.total };
    } catch (err) {
      const refusedLimit =
        err instanceof ApiError &&
        err.status === 400 &&
        (err.problem?.errors ?? []).some((e) => e.path === 'limit' || e.path === 'cursor');
      if (!refusedLimit) throw err;
    }
  }
  // A server without paging answers every item: cut it into pages here.
  const r = await api<AgendaPage>(apiPath(`/${kind}`, query), opts);
  const offset = cursor?.startsWith(LOCAL) ? Number(cursor.slice(LOCAL.length)) : 0;
  const end = offset + AGENDA_PAGE;
  return {
    items: r.data.items.slice(offset, end),
    nextCursor: end < r.data.items.length ? `${LOCAL}${end}` : null,
    total: r.data.items.length,
  };
}

function AgendaTable(props: {
  kind: 'overdue' | 'upcoming';
  caption: string;
  query: Record<string, string | undefined>;
}) {
  const { kind, caption, query } = props;
  const epoch = useEpoch();
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [state, setState] = useState<
    { s: 'loading' } | { s: 'ok'; r: AgendaResult } | { s: 'error'; error: unknown }
  >({ s: 'loading' });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(query);
  useEffect(() => setCursors([null]), [key]);
  const cursor = cursors[cursors.length - 1] ?? null;
  useEffect(() => {
    const ctrl = new AbortController();
    setState({ s: 'loading' });
    fetchAgenda(kind, query, cursor, ctrl.signal).then(
      (r) => setState({ s: 'ok', r }),
      (error: unknown) => {
        if ((error as Error).name !== 'AbortError') setState({ s: 'error', error });
      },
    );
    return () => ctrl.abort();
  }, [kind, key, cursor, epoch, tick]);

  const id = `${kind}-h`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{caption}</h2>
      {state.s === 'loading' && <Loading what={caption.toLowerCase()} />}
      {state.s === 'error' && (
        <ErrorMessage error={state.error} onRetry={() => setTick((t) => t + 1)} />
      )}
      {state.s === 'ok' && (
        <>
          <TableWrap label={caption}>
            <table>
              <caption class="visually-hidden">{caption}</caption>
              <thead>
                <tr>
                  <th scope="col">Commitment</th>
                  <th scope="col">Parties</th>
                  <th scope="col">Item</th>
                  <th scope="col">Date</th>
                  <th scope="col" class="num">
                    {kind === 'overdue' ? 'Days overdue' : 'Days left'}
                  </th>
                </tr>
              </thead>
              <tbody>
                {state.r.items.length === 0 && (
                  <tr>
                    <td colSpan={5}>
                      {kind === 'overdue'
                        ? 'Nothing is overdue.'
                        : 'Nothing is due in this period.'}
                    </td>
                  </tr>
                )}
                {state.r.items.map((it) => (
                  <tr key={`${it.commitmentId}-${it.item}`}>
                    <td>
                      <a
                        href={href(`/commitments/${encodeURIComponent(it.commitmentId)}`, {
                          asOf: query.asOf,
                        })}
                      >
                        {it.title}
                      </a>
                    </td>
                    <td>{it.parties.join(', ')}</td>
                    <td>{ITEM_LABELS[it.item] ?? it.item}</td>
                    <td>
                      <DateText iso={it.date} />
                    </td>
                    <td class="num">{kind === 'overdue' ? it.daysOverdue : it.daysUntil}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <Pager
            label={caption}
            shown={state.r.items.length}
            offset={(cursors.length - 1) * AGENDA_PAGE}
            total={state.r.total}
            onPrevious={cursors.length > 1 ? () => setCursors(cursors.slice(0, -1)) : null}
            onNext={state.r.nextCursor ? () => setCursors([...cursors, state.r.nextCursor]) : null}
          />
        </>
      )}
    </section>
  );
}

const WITHIN = [
  ['P30D', '30 days'],
  ['P90D', '90 days'],
  ['P1Y', 'a year'],
] as const;

export function Agenda({ query }: { query: URLSearchParams }) {
  useTitle('Agenda');
  const asOf = query.get('asOf') ?? '';
  const within = query.get('within') ?? '';
  const [draft, setDraft] = useState<string | null>(null);
  const shownAsOf = draft ?? (asOf || todayUtc());
  const go = (nextAsOf: string, nextWithin: string): void => {
    setDraft(null);
    navigate(href('/agenda', { asOf: nextAsOf || undefined, within: nextWithin || undefined }), {
      replace: true,
    });
  };
  return (
    <>
      <h1 tabIndex={-1}>Agenda</h1>
      <form
        class="filters"
        aria-label="Agenda date"
        onSubmit={(e) => {
          e.preventDefault();
          go(shownAsOf, within);
        }}
      >
        <div class="field">
          <label for="agenda-asof">As of</label>
          <input
            id="agenda-asof"
            type="date"
            value={shownAsOf}
            onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
            onChange={(e) => {
              const v = (e.target as HTMLInputElement).value;
              if (/^\d{4}-\d{2}-\d{2}$/.test(v)) go(v, within);
            }}
          />
        </div>
        <div class="field">
          <label for="agenda-within">Upcoming within</label>
          <select
            id="agenda-within"
            value={within || 'P30D'}
            onChange={(e) => go(asOf, (e.target as HTMLSelectElement).value)}
          >
            {WITHIN.map(([v, l]) => (
              <option value={v} key={v}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div class="field actions">
          <button type="submit">Show</button>
        </div>
      </form>
      <AgendaTable kind="overdue" caption="Overdue" query={{ asOf: asOf || undefined }} />
      <AgendaTable
        kind="upcoming"
        caption="Upcoming"
        query={{ asOf: asOf || undefined, within: within || undefined }}
      />
    </>
  );
}
