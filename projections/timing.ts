/**
 * Timing at an `asOf` date: about the deadline only. Pure; `asOf` is always an argument.
 */
import { CLOSED_STATUSES, type CommitmentState, type Status, type Timing } from './types.js';

const CLOSED: ReadonlySet<Status> = new Set(CLOSED_STATUSES);

/** A deadline within this many calendar days of `asOf` (inclusive) is `due_soon`. */
export const DUE_SOON_DAYS = 30;

/** True for `fulfilled`, `partially_fulfilled`, `missed`, `withdrawn` and `superseded`. */
export function isClosed(status: Status): boolean {
  return CLOSED.has(status);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function utcDayNumber(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Math.round(d.getTime() / 86_400_000);
}

/** Whole calendar days from `a` to `b` (`b − a`), counted on UTC dates: negative when b is before a. */
export function daysBetween(a: string, b: string): number {
  return utcDayNumber(b) - utcDayNumber(a);
}

/**
 * - `closed` for a closed status;
 * - `no_deadline` when due is null;
 * - `overdue` when due.latest < asOf;
 * - `due_soon` when due.latest − asOf ≤ 30 days (so due.latest == asOf is due_soon);
 * - `on_schedule` otherwise.
 */
export function timingOf(state: Pick<CommitmentState, 'status' | 'due'>, asOf: string): Timing {
  if (isClosed(state.status)) return 'closed';
  if (state.due === null) return 'no_deadline';
  const days = daysBetween(asOf, state.due.latest);
  if (days < 0) return 'overdue';
  if (days <= DUE_SOON_DAYS) return 'due_soon';
  return 'on_schedule';
}
