/**
 * Audit (`/app/audit`): run verify (hash chains and read model) and show its report; replay the
 * log "as known at" an instant and list what differs from today.
 */
import { useState } from 'preact/hooks';
import { api, apiPath } from '../api.js';
import { ErrorMessage, InstantText, Loading, TableWrap } from '../components.js';
import { formatAmount, humanise, localInputToInstant, todayUtc } from '../format.js';
import { useTitle } from '../hooks.js';
import { href } from '../router.js';
import type { ReplayResult, VerifyReport, View } from '../types.js';

export interface Difference {
  id: string;
  title: string;
  field: string;
  then: string;
  now: string;
}

const FIELDS: Array<[string, (v: View) => string]> = [
  ['Title', (v) => v.title],
  ['Status', (v) => humanise(v.status)],
  ['Parties', (v) => v.parties.join(', ')],
  [
    'Deadline',
    (v) => (v.due ? `${v.due.text ?? v.due.edtf} (${v.due.latest ?? 'vague'})` : 'none'),
  ],
  ['Target', (v) => (v.metric ? formatAmount(v.metric.target, v.metric.unit) : 'none')],
  [
    'Latest value',
    (v) =>
      v.metric?.latest
        ? `${formatAmount(v.metric.latest.value, v.metric.unit)} (${v.metric.latest.asOf})`
        : 'none',
  ],
  ['Outcome', (v) => (v.outcome ? humanise(v.outcome.outcome) : 'none')],
  ['Sources', (v) => String(v.sources.length)],
  ['Revision', (v) => String(v.revision)],
];

/** What differs between the log replayed as known then and as known now. */
export function differences(then: readonly View[], now: readonly View[]): Difference[] {
  const before = new Map(then.map((v) => [v.id, v]));
  const out: Difference[] = [];
  for (const v of now) {
    const b = before.get(v.id);
    if (!b) {
      out.push({
        id: v.id,
        title: v.title,
        field: 'Recorded',
        then: 'not yet recorded',
        now: 'recorded',
      });
      continue;
    }
    for (const [field, get] of FIELDS) {
      const x = get(b);
      const y = get(v);
      if (x !== y) out.push({ id: v.id, title: v.title, field, then: x, now: y });
    }
  }
  return out;
}

function VerifySection() {
  const [state, setState] = useState<
    { s: 'idle' } | { s: 'loading' } | { s: 'ok'; r: VerifyReport } | { s: 'error'; e: unknown }
  >({ s: 'idle' });
  const run = async (): Promise<void> => {
    setState({ s: 'loading' });
    try {
      setState({ s: 'ok', r: (await api<VerifyReport>('/audit/verify')).data });
    } catch (e) {
      setState({ s: 'error', e });
    }
  };
  return (
    <section aria-labelledby="verify-h">
      <h2 id="verify-h">Verify</h2>
      <p>
        Walks every stream's hash chain and rebuilds the read model from the log to compare it with
        the live one.
      </p>
      <button type="button" onClick={run} disabled={state.s === 'loading'}>
        Run verify
      </button>
      {state.s === 'loading' && <Loading what="the verification" />}
      {state.s === 'error' && <ErrorMessage error={state.e} onRetry={run} />}
      {state.s === 'ok' && (
        <div class={`report ${state.r.ok ? 'report-ok' : 'report-bad'}`} role="status">
          <p>
            <strong>{state.r.ok ? 'Verified: no problem found.' : 'Problems found.'}</strong>{' '}
            {state.r.events} events checked.
          </p>
          <ul>
            <li>
              Hash chains: {state.r.chain.ok ? 'intact' : 'broken'}
              {state.r.chain.brokenAt &&
                ` at ${state.r.chain.brokenAt.stream} revision ${state.r.chain.brokenAt.revision} (${state.r.chain.brokenAt.reason})`}
            </li>
            <li>
              Read model:{' '}
              {state.r.readModel.ok
                ? 'matches the log'
                : `${state.r.readModel.mismatches.length} mismatches`}
            </li>
          </ul>
          {state.r.readModel.mismatches.length > 0 && (
            <ul>
              {state.r.readModel.mismatches.map((m) => (
                <li key={m.id}>
                  {m.id}: {m.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

function ReplaySection() {
  const [value, setValue] = useState('');
  const [state, setState] = useState<
    | { s: 'idle' }
    | { s: 'loading' }
    | { s: 'ok'; then: ReplayResult; diffs: Difference[] }
    | { s: 'error'; e: unknown }
  >({ s: 'idle' });
  const [invalid, setInvalid] = useState(false);
  const run = async (e: Event): Promise<void> => {
    e.preventDefault();
    const knownAt = localInputToInstant(value);
    setInvalid(!knownAt);
    if (!knownAt) return;
    setState({ s: 'loading' });
    try {
      const asOf = todayUtc();
      // One after the other: the server runs one replay at a time and answers a second with 429.
      const then = await api<ReplayResult>(apiPath('/audit/replay', { knownAt, asOf }));
      const now = await api<ReplayResult>(apiPath('/audit/replay', { asOf }));
      setState({
        s: 'ok',
        then: then.data,
        diffs: differences(then.data.commitments, now.data.commitments),
      });
    } catch (err) {
      setState({ s: 'error', e: err });
    }
  };
  return (
    <section aria-labelledby="replay-h">
      <h2 id="replay-h">Replay as known at an instant</h2>
      <p>
        Replays the whole log, counting only events recorded by then, and lists what differs from
        today.
      </p>
      <form class="filters" onSubmit={run} aria-label="Replay" noValidate>
        <div class="field">
          <label for="replay-at">As known at</label>
          <p class="hint" id="replay-at-hint">
            UTC.
          </p>
          <input
            id="replay-at"
            type="datetime-local"
            step={1}
            value={value}
            aria-describedby={invalid ? 'replay-at-hint replay-at-err' : 'replay-at-hint'}
            aria-invalid={invalid ? 'true' : undefined}
            onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          />
          {invalid && (
            <p class="field-error" id="replay-at-err">
              Give a date and time.
            </p>
          )}
        </div>
        <div class="field actions">
          <button type="submit">Replay</button>
        </div>
      </form>
      {state.s === 'loading' && <Loading what="the replay" />}
      {state.s === 'error' && <ErrorMessage error={state.e} />}
      {state.s === 'ok' && (
        <>
          <p role="status">
            As known at <InstantText iso={state.then.knownAt} />: {state.then.commitments.length}{' '}
            commitments (log position {state.then.position}).{' '}
            {state.diffs.length === 0
              ? 'Nothing differs from today.'
              : `${state.diffs.length} differences from today.`}
          </p>
          {state.diffs.length > 0 && (
            <TableWrap label="What differs from today">
              <table>
                <caption>What differs from today</caption>
                <thead>
                  <tr>
                    <th scope="col">Commitment</th>
                    <th scope="col">Field</th>
                    <th scope="col">Then</th>
                    <th scope="col">Now</th>
                  </tr>
                </thead>
                <tbody>
                  {state.diffs.map((d, i) => (
                    <tr key={i}>
                      <td>
                        <a href={href(`/commitments/${encodeURIComponent(d.id)}`)}>{d.title}</a>
                      </td>
                      <td>{d.field}</td>
                      <td>{d.then}</td>
                      <td>{d.now}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </>
      )}
    </section>
  );
}

export function Audit() {
  useTitle('Audit');
  return (
    <>
      <h1 tabIndex={-1}>Audit</h1>
      <VerifySection />
      <ReplaySection />
    </>
  );
}
