/**
 * iCalendar export (RFC 5545) with ical-generator: one all-day VEVENT per deadline and per
 * follow-up of every commitment that is still open (the agenda items of projections/agenda.ts).
 * UIDs are stable (`<id>-deadline@commitments-tracker`), and DTSTAMP is the view's updatedAt,
 * so the same log always gives the same calendar.
 */
import ical from 'ical-generator';
import { agendaItems } from '../../projections/agenda.js';
import type { AgendaItem, CommitmentView } from '../../projections/types.js';

export const UID_DOMAIN = 'commitments-tracker';

export const DEFAULT_PRODID = '-//commitments-tracker//Commitments Tracker//EN';

export interface IcsOptions {
  /** Calendar name (NAME / X-WR-CALNAME). */
  name: string;
  /** PRODID, such as `-//commitments-tracker//Commitments Tracker//EN` (the default). */
  prodId?: string;
}

export function eventUid(item: Pick<AgendaItem, 'commitmentId' | 'item'>): string {
  return `${item.commitmentId}-${item.item}@${UID_DOMAIN}`;
}

function nextDay(date: string): Date {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

function description(v: CommitmentView, item: AgendaItem): string {
  const lines = [
    `Status: ${v.status} (${v.timing})`,
    `Parties: ${v.parties.join(', ')}`,
    item.item === 'deadline' && v.due
      ? `Deadline: ${v.due.text ?? v.due.edtf} (latest ${v.due.latest})`
      : `Follow-up due ${item.date}`,
  ];
  if (v.metric) {
    const latest = v.metric.latest
      ? `${v.metric.latest.value} as of ${v.metric.latest.asOf}`
      : 'none';
    lines.push(
      `Metric: ${v.metric.name} → ${v.metric.target} ${v.metric.unit} (latest: ${latest})`,
    );
  }
  lines.push(`Quote (${v.statement.madeAt}): "${v.statement.quote}"`);
  const src = v.sources[0];
  if (src)
    lines.push(`Source: ${src.publisher}, ${src.publishedAt}${src.url ? ` ${src.url}` : ''}`);
  lines.push(`Commitment: ${v.id}`);
  return lines.join('\n');
}

/** The calendar of the views' deadlines and follow-ups. */
export function renderIcs(views: readonly CommitmentView[], opts: IcsOptions): string {
  const cal = ical({
    name: opts.name,
    // ical-generator writes `-` + the string given.
    prodId: (opts.prodId ?? DEFAULT_PRODID).replace(/^-/, ''),
  });
  for (const v of views) {
    for (const item of agendaItems(v)) {
      const label = item.item === 'deadline' ? 'Deadline' : 'Follow up';
      cal.createEvent({
        id: eventUid(item),
        start: new Date(`${item.date}T00:00:00.000Z`),
        end: nextDay(item.date),
        allDay: true,
        stamp: new Date(v.updatedAt),
        summary: `${label}: ${v.title}`,
        description: description(v, item),
        categories: [{ name: item.item === 'deadline' ? 'DEADLINE' : 'FOLLOW-UP' }],
      });
    }
  }
  return cal.toString();
}
