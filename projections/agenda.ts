/**
 * Agenda items: the dates on which a commitment asks for attention, and the overdue and
 * upcoming lists built from them. Pure; `asOf` is always an argument.
 */
import { addIsoDuration } from '../src/domain/duration.js';
import { daysBetween, isClosed } from './timing.js';
import type {
  AgendaItem,
  AgendaItemKind,
  CommitmentState,
  NextEntry,
  OverdueEntry,
  Status,
} from './types.js';

/**
 * While the status is not closed: a `deadline` item on due.latest (when there is a deadline with
 * dates; a vague one has none),
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

/**
 * THE definition of overdue (issue 14), the one every answer uses: an agenda item (a deadline or a
 * follow-up) is overdue at `asOf` when its date is before `asOf` and the commitment is open (its
 * status is not closed). The read model's SQL must agree with it (held by a property test).
 */
export function isItemOverdue(date: string, status: Status, asOf: string): boolean {
  return date < asOf && !isClosed(status);
}

/** Order of the items of one commitment: by date, then `deadline` before `follow_up`. */
function byDateThenItem(a: { date: string; item: AgendaItemKind }, b: typeof a): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  if (a.item !== b.item) return a.item < b.item ? -1 : 1;
  return 0;
}

type AgendaState = Pick<CommitmentState, 'id' | 'status' | 'due' | 'nextFollowUp'>;

/** The commitment's overdue agenda items at `asOf` (`daysOverdue` = asOf − date ≥ 1), oldest first. */
export function overdueItems(state: AgendaState, asOf: string): OverdueEntry[] {
  const out: OverdueEntry[] = [];
  for (const it of agendaItems(state)) {
    if (isItemOverdue(it.date, state.status, asOf)) {
      out.push({ item: it.item, date: it.date, daysOverdue: daysBetween(it.date, asOf) });
    }
  }
  return out.sort(byDateThenItem);
}

/** A commitment is overdue at `asOf` when it has an overdue agenda item. */
export function isOverdue(state: AgendaState, asOf: string): boolean {
  return agendaItems(state).some((it) => isItemOverdue(it.date, state.status, asOf));
}

/** The commitment's first agenda item dated on or after `asOf` (`daysUntil` ≥ 0), or null. */
export function nextItem(state: AgendaState, asOf: string): NextEntry | null {
  let best: NextEntry | null = null;
  for (const it of agendaItems(state)) {
    if (it.date < asOf) continue;
    if (best === null || byDateThenItem(it, best) < 0) {
      best = { item: it.item, date: it.date, daysUntil: daysBetween(asOf, it.date) };
    }
  }
  return best;
}
