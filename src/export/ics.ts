/**
 * iCalendar export (RFC 5545), rendered directly: one all-day VEVENT per deadline and per
 * follow-up of every commitment that is still open (the agenda items of projections/agenda.ts).
 *
 * We write the few properties we use ourselves instead of going through ical-generator, whose
 * line folding allocated a TextEncoder per character (38 s for 20k commitments, issue 14):
 * - TEXT values are escaped (`\\`, `\;`, `\,`, `\n`; other control characters are dropped);
 * - content lines are folded at 75 octets (a CRLF and one space), never inside a UTF-8 sequence;
 * - every line ends with CRLF, the last one too.
 *
 * UIDs are stable (`<id>-deadline@commitments-tracker`), DTSTAMP is the view's updatedAt and
 * SEQUENCE is the commitment's revision − 1 (it grows with every change, so whenever an event's
 * date or summary changes), so the same log always gives the same calendar.
 */
import { agendaItems } from '../../projections/agenda.js';
import type { AgendaItem, CommitmentView } from '../../projections/types.js';
import { formatAmount, sourceLine } from './format.js';

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

const CRLF = '\r\n';

/** RFC 5545 §3.3.11 TEXT: escape backslash, semicolon, comma and newlines; drop other controls. */
export function escapeText(s: string): string {
  return (
    s
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex -- TEXT admits no control character but HTAB
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
      .replace(/[\\;,\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`))
  );
}

/** A character other than tab and printable ASCII (those take one octet each). */
const NON_ASCII = /[^\t\u0020-\u007e]/;

/** Octets of one code point in UTF-8. */
const utf8Length = (cp: number): number => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);

/**
 * One content line, folded (RFC 5545 §3.1): no physical line longer than 75 octets, the
 * continuation lines starting with one space, a break never inside a UTF-8 sequence (nor
 * between the halves of a surrogate pair). Ends with CRLF.
 */
export function foldLine(line: string): string {
  // Short enough even if every character took 3 octets (a surrogate pair is 2 units, 4 octets).
  if (line.length <= 25) return line + CRLF;
  if (!NON_ASCII.test(line)) {
    // One octet per character: cut every 75, then every 74 (the leading space counts).
    if (line.length <= 75) return line + CRLF;
    let out = line.slice(0, 75);
    for (let i = 75; i < line.length; i += 74) out += `${CRLF} ${line.slice(i, i + 74)}`;
    return out + CRLF;
  }
  let out = '';
  let start = 0;
  let octets = 0;
  let limit = 75;
  let i = 0;
  while (i < line.length) {
    const cp = line.codePointAt(i) as number;
    const units = cp > 0xffff ? 2 : 1;
    const n = utf8Length(cp);
    if (octets + n > limit) {
      out += line.slice(start, i) + CRLF + ' ';
      start = i;
      octets = 0;
      limit = 74; // the leading space counts
    }
    octets += n;
    i += units;
  }
  return out + line.slice(start) + CRLF;
}

const prop = (name: string, value: string): string => foldLine(`${name}:${value}`);

/** `2026-03-31` → `20260331`. */
const basicDate = (date: string): string => date.replace(/-/g, '');

const UTC_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z$/;

/** An instant as UTC `YYYYMMDDTHHMMSSZ` (stored instants are UTC already: no Date needed). */
function basicInstant(instant: string): string {
  const m = UTC_INSTANT.exec(instant);
  if (m) return `${m[1]}${m[2]}${m[3]}T${m[4]}${m[5]}${m[6]}Z`;
  return new Date(instant)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The day after `date` (YYYY-MM-DD) as `YYYYMMDD`, for an all-day event's exclusive DTEND. */
export function nextBasicDate(date: string): string {
  let y = Number(date.slice(0, 4));
  let m = Number(date.slice(5, 7));
  let d = Number(date.slice(8, 10)) + 1;
  const last = m === 2 && isLeap(y) ? 29 : (MONTH_DAYS[m - 1] as number);
  if (d > last) {
    d = 1;
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return `${String(y).padStart(4, '0')}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
}

function description(v: CommitmentView, item: AgendaItem): string {
  const lines = [
    `Status: ${v.status} (${v.timing})`,
    ...(v.assessment
      ? [
          `Assessment: ${v.assessment.value} (${v.assessment.at})` +
            (v.assessment.note ? `: ${v.assessment.note}` : ''),
        ]
      : []),
    `Parties: ${v.parties.join(', ')}`,
    item.item === 'deadline' && v.due
      ? `Deadline: ${v.due.text ?? v.due.edtf} (latest ${v.due.latest})`
      : `Follow-up due ${item.date}`,
  ];
  if (v.metric) {
    const m = v.metric;
    const latest = m.latest
      ? `${formatAmount(m.latest.value, m.unit)} as of ${m.latest.asOf}`
      : 'none';
    lines.push(`Metric: ${m.name} → ${formatAmount(m.target, m.unit)} (latest: ${latest})`);
  }
  lines.push(`Quote (${v.statement.madeAt}): "${v.statement.quote}"`);
  for (const src of v.sources) lines.push(`Source: ${sourceLine(src)}`);
  lines.push(`Commitment: ${v.id}`);
  return lines.join('\n');
}

/** The lines that open the calendar (with CRLF). */
export function icsHeader(opts: IcsOptions): string {
  const name = escapeText(opts.name);
  return (
    prop('BEGIN', 'VCALENDAR') +
    prop('VERSION', '2.0') +
    prop('PRODID', opts.prodId ?? DEFAULT_PRODID) +
    prop('CALSCALE', 'GREGORIAN') +
    prop('METHOD', 'PUBLISH') +
    prop('NAME', name) +
    prop('X-WR-CALNAME', name)
  );
}

/** The line that closes the calendar (with its CRLF). */
export const ICS_FOOTER = `END:VCALENDAR${CRLF}`;

/** The VEVENTs of one view (none when it is closed or has no agenda item). */
export function icsEvents(v: CommitmentView): string {
  let out = '';
  for (const item of agendaItems(v)) {
    const deadline = item.item === 'deadline';
    out +=
      prop('BEGIN', 'VEVENT') +
      prop('UID', eventUid(item)) +
      prop('SEQUENCE', String(Math.max(0, v.revision - 1))) +
      prop('DTSTAMP', basicInstant(v.updatedAt)) +
      prop('DTSTART;VALUE=DATE', basicDate(item.date)) +
      prop('DTEND;VALUE=DATE', nextBasicDate(item.date)) +
      prop('SUMMARY', escapeText(`${deadline ? 'Deadline' : 'Follow up'}: ${v.title}`)) +
      prop('DESCRIPTION', escapeText(description(v, item))) +
      prop('CATEGORIES', deadline ? 'DEADLINE' : 'FOLLOW-UP') +
      prop('TRANSP', 'TRANSPARENT') +
      prop('END', 'VEVENT');
  }
  return out;
}

/** The calendar of the views' deadlines and follow-ups, in one string (small exports, tests). */
export function renderIcs(views: Iterable<CommitmentView>, opts: IcsOptions): string {
  let out = icsHeader(opts);
  for (const v of views) out += icsEvents(v);
  return out + ICS_FOOTER;
}
