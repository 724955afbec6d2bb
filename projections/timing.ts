/**
 * Timing at an `asOf` date: about the deadline alone (a late follow-up does not change it; see
 * `overdueItems` in agenda.ts for the one meaning of "overdue"). Pure; `asOf` is an argument.
 */
import { dayNumber } from '../src/domain/duration.js';
import { CLOSED_STATUSES, type CommitmentState, type Status, type Timing } from './types.js';

const CLOSED: ReadonlySet<Status> = new Set(CLOSED_STATUSES);

/** A deadline within this many calendar days of `asOf` (inclusive) is `due_soon`. */
export const DUE_SOON_DAYS = 30;

/** True for `fulfilled`, `partially_fulfilled`, `missed`, `withdrawn` and `superseded`. */
export function isClosed(status: Status): boolean {
  return CLOSED.has(status);
}

/** Whole calendar days from `a` to `b` (`b − a`), counted on UTC dates: negative when b is before a. */
export function daysBetween(a: string, b: string): number {
  return dayNumber(b) - dayNumber(a);
}

/**
 * - `closed` for a closed status;
 * - `no_deadline` when due is null or vague (no dates);
 * - `overdue` when due.latest < asOf;
 * - `due_soon` when due.latest − asOf ≤ 30 days (so due.latest == asOf is due_soon);
 * - `on_schedule` otherwise.
 */
export function timingOf(state: Pick<CommitmentState, 'status' | 'due'>, asOf: string): Timing {
  if (isClosed(state.status)) return 'closed';
  if (state.due === null || state.due.latest === null) return 'no_deadline';
  const days = daysBetween(asOf, state.due.latest);
  if (days < 0) return 'overdue';
  if (days <= DUE_SOON_DAYS) return 'due_soon';
  return 'on_schedule';
}
