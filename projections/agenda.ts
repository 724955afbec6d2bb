/**
 * Agenda items: the dates on which a commitment asks for attention, and the overdue and
 * upcoming lists built from them. Pure; `asOf` is always an argument.
 */
import { addIsoDuration } from '../src/domain/duration.js';
import { daysBetween, isClosed } from './timing.js';
import type { AgendaItem, CommitmentState } from './types.js';

/**
 * While the status is not closed: a `deadline` item on due.latest (when there is a deadline),
 * and a `follow_up` item on nextFollowUp when it differs from due.latest. None when closed.
 */
export function agendaItems(
  state: Pick<CommitmentState, 'id' | 'status' | 'due' | 'nextFollowUp'>,
): AgendaItem[] {
  if (isClosed(state.status)) return [];
  const items: AgendaItem[] = [];
  const dueLatest = state.due?.latest ?? null;
  if (dueLatest !== null) items.push({ commitmentId: state.id, item: 'deadline', date: dueLatest });
  if (state.nextFollowUp !== null && state.nextFollowUp !== dueLatest) {
    items.push({ commitmentId: state.id, item: 'follow_up', date: state.nextFollowUp });
  }
  return items;
}

/** Order by date, then commitment id, then item kind (`deadline` before `follow_up`). Code-unit order, no locale. */
export function compareAgendaItems(a: AgendaItem, b: AgendaItem): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  if (a.commitmentId !== b.commitmentId) return a.commitmentId < b.commitmentId ? -1 : 1;
  if (a.item !== b.item) return a.item < b.item ? -1 : 1;
  return 0;
}

/** Items dated strictly before `asOf`, each with daysOverdue = asOf − date (≥ 1), sorted. */
export function overdueAt<T extends AgendaItem>(
  items: Iterable<T>,
  asOf: string,
): Array<T & { daysOverdue: number }> {
  const out: Array<T & { daysOverdue: number }> = [];
  for (const it of items) {
    if (it.date < asOf) out.push({ ...it, daysOverdue: daysBetween(it.date, asOf) });
  }
  return out.sort(compareAgendaItems);
}

/** Items with asOf ≤ date ≤ until, each with daysUntil = date − asOf (≥ 0), sorted. */
export function upcomingAt<T extends AgendaItem>(
  items: Iterable<T>,
  asOf: string,
  until: string,
): Array<T & { daysUntil: number }> {
  const out: Array<T & { daysUntil: number }> = [];
  for (const it of items) {
    if (asOf <= it.date && it.date <= until)
      out.push({ ...it, daysUntil: daysBetween(asOf, it.date) });
  }
  return out.sort(compareAgendaItems);
}

/** The last day of an upcoming window: asOf + within (an ISO-8601 duration such as P30D). */
export function untilDate(asOf: string, within: string): string {
  return addIsoDuration(asOf, within);
}
