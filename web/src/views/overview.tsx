/**
 * Overview (`/app/`): counts by status as a meter with its table (caption "Commitments by status"),
 * overdue and due-soon counts, and a table of parties (caption "By party") with compliance where
 * assessed. Every number links to the filtered list. Data: GET /summary (and GET /scorecards for
 * compliance, when the server has it).
 */
import { STATUSES } from '../../../projections/types.js';
import { ApiError } from '../api.js';
import { ErrorMessage, Loading, StatusBadge, TableWrap } from '../components.js';
import { humanise } from '../format.js';
import { useApi, useTitle } from '../hooks.js';
import { href } from '../router.js';
import type { Scorecards, Summary } from '../types.js';

/** Statuses in meter order: the server's list, then any the summary adds (e.g. at_risk). */
export function statusOrder(byStatus: Record<string, number>): string[] {
  const known: string[] = [...STATUSES];
  const extra = Object.keys(byStatus).filter((s) => !known.includes(s));
  const order = [...known.slice(0, 2), ...extra, ...known.slice(2)];
  return order.filter((s) => (byStatus[s] ?? 0) > 0);
}

export function StatusMeter({
  byStatus,
  total,
}: {
  byStatus: Record<string, number>;
  total: number;
}) {
  const order = statusOrder(byStatus);
  const text =
    total === 0
      ? 'No commitments yet.'
      : `${total} commitments: ` +
        order.map((s) => `${byStatus[s]} ${humanise(s).toLowerCase()}`).join(', ') +
        '.';
  let x = 0;
  return (
    <svg class="meter" viewBox="0 0 100 8" preserveAspectRatio="none" role="img" aria-label={text}>
      <title>{text}</title>
      <rect x="0" y="0" width="100" height="8" class="meter-empty" />
      {total > 0 &&
        order.map((s) => {
          const w = ((byStatus[s] ?? 0) / total) * 100;
          const r = <rect key={s} x={x} y="0" width={w} height="8" class={`fill-${s}`} />;
          x += w;
          return r;
        })}
    </svg>
  );
}

function overdueCount(o: Summary['byParty'][number]['overdue']): number {
  return typeof o === 'number' ? o : (o.commitments ?? 0);
}

export function OverviewBody({
  summary,
  scorecards,
}: {
  summary: Summary;
  scorecards: Scorecards | null;
}) {
  const order = statusOrder(summary.byStatus);
  const partyStatuses = order;
  const compliance = new Map((scorecards?.parties ?? []).map((p) => [p.party, p]));
  const showCompliance = compliance.size > 0;
  return (
    <>
      <div class="cards">
        <a class="card" href={href('/commitments')}>
          <span class="card-number">{summary.total}</span> commitments
        </a>
        <a class="card card-alert" href={href('/agenda', { asOf: summary.asOf })}>
          <span class="card-number">{summary.overdue.commitments}</span> overdue
          <span class="card-sub">({summary.overdue.items} items)</span>
        </a>
        <a class="card" href={href('/agenda', { asOf: summary.asOf })}>
          <span class="card-number">{summary.upcoming.items}</span> due soon
          <span class="card-sub">
            (within {summary.upcoming.within.replace(/^P(\d+)D$/, '$1 days')})
          </span>
        </a>
      </div>

      <section aria-labelledby="by-status-h" class="split">
        <h2 id="by-status-h">By status</h2>
        <StatusMeter byStatus={summary.byStatus} total={summary.total} />
        <TableWrap label="Commitments by status">
          <table>
            <caption>Commitments by status</caption>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  Commitments
                </th>
              </tr>
            </thead>
            <tbody>
              {order.map((s) => (
                <tr key={s}>
                  <th scope="row">
                    <span class={`swatch fill-${s}`} aria-hidden="true" />
                    <StatusBadge status={s} />
                  </th>
                  <td class="num">
                    <a href={href('/commitments', { status: s })}>{summary.byStatus[s]}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>

      <section aria-labelledby="by-party-h">
        <h2 id="by-party-h">By party</h2>
        <TableWrap label="By party">
          <table>
            <caption class="visually-hidden">By party</caption>
            <thead>
              <tr>
                <th scope="col">Party</th>
                <th scope="col" class="num">
                  Total
                </th>
                {partyStatuses.map((s) => (
                  <th scope="col" class="num" key={s}>
                    {humanise(s)}
                  </th>
                ))}
                <th scope="col" class="num">
                  Overdue
                </th>
                {showCompliance && (
                  <th scope="col" class="num">
                    Compliance
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {summary.byParty.map((p) => {
                const c = compliance.get(p.party);
                return (
                  <tr key={p.party}>
                    <th scope="row">{p.party}</th>
                    <td class="num">
                      <a href={href('/commitments', { party: p.party })}>{p.total}</a>
                    </td>
                    {partyStatuses.map((s) => (
                      <td class="num" key={s}>
                        {(p.byStatus[s] ?? 0) > 0 ? (
                          <a href={href('/commitments', { party: p.party, status: s })}>
                            {p.byStatus[s]}
                          </a>
                        ) : (
                          0
                        )}
                      </td>
                    ))}
                    <td class="num">
                      {overdueCount(p.overdue) > 0 ? (
                        <a href={href('/agenda', { asOf: summary.asOf })}>
                          {overdueCount(p.overdue)}
                        </a>
                      ) : (
                        0
                      )}
                    </td>
                    {showCompliance && (
                      <td class="num">
                        {c && c.average !== null
                          ? `${c.average > 0 ? '+' : ''}${c.average.toFixed(2)} (${c.scored} scored)`
                          : 'not assessed'}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      </section>
    </>
  );
}

export function Overview({ query }: { query: URLSearchParams }) {
  useTitle('Overview');
  const asOf = query.get('asOf') ?? '';
  const summary = useApi<Summary>(asOf ? `/summary?asOf=${encodeURIComponent(asOf)}` : '/summary');
  const scorecards = useApi<Scorecards>('/scorecards');
  return (
    <>
      <h1 tabIndex={-1}>Overview</h1>
      {summary.state === 'loading' && <Loading what="the summary" />}
      {summary.state === 'error' &&
        (summary.error instanceof ApiError && summary.error.status === 404 ? (
          <div role="alert" class="error">
            <p>
              This server does not provide a summary (<code>GET /summary</code>) yet. The{' '}
              <a href={href('/commitments')}>list of commitments</a> and the{' '}
              <a href={href('/agenda')}>agenda</a> work without it.
            </p>
          </div>
        ) : (
          <ErrorMessage error={summary.error} onRetry={summary.reload} />
        ))}
      {summary.state === 'ok' && (
        <OverviewBody
          summary={summary.data}
          scorecards={scorecards.state === 'ok' ? scorecards.data : null}
        />
      )}
    </>
  );
}
