/** Small pieces every view uses: dates, amounts, statuses, loading and error states, paging. */
import type { ComponentChildren } from 'preact';
import { describeError, ApiError } from './api.js';
import { formatDate, formatInstant, humanise } from './format.js';

export function DateText({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span class="muted">none</span>;
  return (
    <time dateTime={iso} title={iso}>
      {formatDate(iso)}
    </time>
  );
}

export function InstantText({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span class="muted">none</span>;
  return (
    <time dateTime={iso} title={iso}>
      {formatInstant(iso)}
    </time>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge status-${status}`}>{humanise(status)}</span>;
}

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" class="loading">
      Loading {what}…
    </p>
  );
}

export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const status = error instanceof ApiError ? error.status : null;
  return (
    <div role="alert" class="error">
      <p>{describeError(error)}</p>
      {status === 412 || status === 0 || status === 503 ? (
        <button type="button" onClick={() => (onRetry ? onRetry() : window.location.reload())}>
          {status === 412 ? 'Reload' : 'Try again'}
        </button>
      ) : onRetry && status !== 401 && status !== 404 ? (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** A table that scrolls sideways on a narrow screen, reachable with the keyboard. */
export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

export function Pager(props: {
  label: string;
  shown: number;
  offset: number;
  total?: number | undefined;
  onPrevious?: (() => void) | null;
  onNext?: (() => void) | null;
}) {
  const { shown, offset, total } = props;
  const range = shown === 0 ? 'none' : `${offset + 1}–${offset + shown}`;
  return (
    <nav class="pager" aria-label={`${props.label} pages`}>
      <span>
        Showing {range}
        {total !== undefined ? ` of ${total}` : ''}
      </span>
      <button type="button" disabled={!props.onPrevious} onClick={() => props.onPrevious?.()}>
        Previous page
      </button>
      <button type="button" disabled={!props.onNext} onClick={() => props.onNext?.()}>
        Next page
      </button>
    </nav>
  );
}
