/**
 * Calendar arithmetic on `YYYY-MM-DD` dates with ISO-8601 durations.
 * The duration is parsed by tinyduration and added by date-fns, so months and years
 * clamp at month end (2025-01-31 + P1M = 2025-02-28).
 */
import { add } from 'date-fns';
import { parse as parseDuration } from 'tinyduration';
import type { IsoDate } from './values.js';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A calendar date as a local-midnight Date. date-fns works in local time; building the
 * date locally and reading it back locally keeps the arithmetic free of time-zone shifts.
 */
export function toLocalDate(date: IsoDate): Date {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const d = new Date(2000, 0, 1);
  d.setFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  d.setHours(0, 0, 0, 0);
  return d;
}

/** `YYYY-MM-DD` of a local Date (the inverse of `toLocalDate`). */
export function fromLocalDate(d: Date): IsoDate {
  const y = d.getFullYear();
  if (Number.isNaN(y)) throw new RangeError('date arithmetic overflowed');
  if (y < 0 || y > 9999) throw new RangeError(`year ${y} is outside 0000-9999`);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(y, 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * `date` plus an ISO-8601 duration such as `P3M`, `P30D`, `P1Y6M` or `P2W`.
 * Time parts (hours, minutes, seconds) move the date only when they add up to whole days.
 * Throws on a malformed or negative duration.
 */
/** Latest date the tracker represents; arithmetic beyond it saturates in `addIsoDurationClamped`. */
export const MAX_DATE: IsoDate = '9999-12-31';

/** Like `addIsoDuration`, but a result past 9999-12-31 saturates at MAX_DATE instead of throwing. */
export function addIsoDurationClamped(date: IsoDate, duration: string): IsoDate {
  try {
    return addIsoDuration(date, duration);
  } catch (err) {
    if (err instanceof RangeError && !parseDuration(duration).negative) return MAX_DATE;
    throw err;
  }
}

export function addIsoDuration(date: IsoDate, duration: string): IsoDate {
  const d = parseDuration(duration);
  if (d.negative) throw new RangeError(`negative duration not allowed: ${duration}`);
  // Time parts count only in whole days, so the result does not depend on the local time zone.
  const seconds = (d.hours ?? 0) * 3600 + (d.minutes ?? 0) * 60 + (d.seconds ?? 0);
  const wholeDays = (d.days ?? 0) + Math.floor(seconds / 86_400);
  return fromLocalDate(
    add(toLocalDate(date), {
      years: d.years ?? 0,
      months: d.months ?? 0,
      weeks: d.weeks ?? 0,
      days: wholeDays,
    }),
  );
}
