/**
 * Calendar arithmetic on `YYYY-MM-DD` dates with ISO-8601 durations, in the proleptic Gregorian
 * calendar. Years and months are added first and clamp at month end (2025-01-31 + P1M =
 * 2025-02-28), then weeks and days: the rule of date-fns `add`, which the unit tests use as the
 * oracle (property-based). The arithmetic is on integers (day numbers), so it is free of time
 * zones and of the Date quirks of years 0–99.
 *
 * Every replayed event computes a follow-up date with it, so it is kept cheap: a duration is
 * parsed once (tinyduration) and remembered.
 */
import { parse as parseDuration } from 'tinyduration';
import { daysInMonth, type IsoDate } from './values.js';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Latest date the tracker represents; arithmetic beyond it saturates in `addIsoDurationClamped`. */
export const MAX_DATE: IsoDate = '9999-12-31';

interface Parsed {
  months: number;
  days: number;
}

const parsedDurations = new Map<string, Parsed>();
const MAX_REMEMBERED = 1024;

const NUM = '\\d{1,9}(?:[.,]\\d{1,9})?';
/**
 * Anchored, bounded shape of an ISO-8601 duration (each designator at most once, in order). A
 * string is matched against it, after a length check, before tinyduration sees it: tinyduration's
 * own pattern is unanchored and backtracks quadratically on long digit runs.
 */
const GUARD_RE = new RegExp(
  `^-?P(?:${NUM}Y)?(?:${NUM}M)?(?:${NUM}W)?(?:${NUM}D)?(?:T(?:${NUM}H)?(?:${NUM}M)?(?:${NUM}S)?)?$`,
);
const MAX_GUARDED_LENGTH = 64;

/** The duration as whole months and whole days; throws on a malformed, fractional or negative one. */
function parsed(duration: string): Parsed {
  const hit = parsedDurations.get(duration);
  if (hit !== undefined) return hit;
  if (duration.length > MAX_GUARDED_LENGTH || !GUARD_RE.test(duration)) {
    throw new TypeError(`not an ISO-8601 duration: ${duration.slice(0, MAX_GUARDED_LENGTH)}`);
  }
  const d = parseDuration(duration);
  if (d.negative) throw new RangeError(`negative duration not allowed: ${duration}`);
  const units = [d.years, d.months, d.weeks, d.days];
  if (units.some((u) => u !== undefined && !Number.isInteger(u))) {
    throw new TypeError(`years, months, weeks and days must be whole numbers: ${duration}`);
  }
  // Time parts count only in whole days, so the result does not depend on the time of day.
  const seconds = (d.hours ?? 0) * 3600 + (d.minutes ?? 0) * 60 + (d.seconds ?? 0);
  const p: Parsed = {
    months: (d.years ?? 0) * 12 + (d.months ?? 0),
    days: (d.weeks ?? 0) * 7 + (d.days ?? 0) + Math.floor(seconds / 86_400),
  };
  if (parsedDurations.size >= MAX_REMEMBERED) parsedDurations.clear();
  parsedDurations.set(duration, p);
  return p;
}

/** Days since 1970-01-01 of a civil date (month 1–12); H. Hinnant's `days_from_civil`. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date (negative before); pure integer arithmetic. */
export function dayNumber(date: IsoDate): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** The civil date of a day number (the inverse of `daysFromCivil`). */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** The sum as year, month, day, or null when the year passes 9999. Throws on bad input. */
function add(date: IsoDate, duration: string): string | null {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const p = parsed(duration);
  const monthIndex = Number(m[1]) * 12 + (Number(m[2]) - 1) + p.months;
  let year = Math.floor(monthIndex / 12);
  let month = monthIndex - year * 12 + 1;
  let day = Math.min(Number(m[3]), daysInMonth(year, month));
  if (p.days !== 0) [year, month, day] = civilFromDays(daysFromCivil(year, month, day) + p.days);
  if (year > 9999) return null;
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/**
 * `date` plus an ISO-8601 duration such as `P3M`, `P30D`, `P1Y6M` or `P2W`.
 * Time parts (hours, minutes, seconds) move the date only when they add up to whole days.
 * Throws on a malformed date, on a malformed, fractional or negative duration (RangeError for a
 * negative one) and a RangeError when the result is past 9999-12-31.
 */
export function addIsoDuration(date: IsoDate, duration: string): IsoDate {
  const r = add(date, duration);
  if (r === null) throw new RangeError(`${date} + ${duration} is past ${MAX_DATE}`);
  return r;
}

/** Like `addIsoDuration`, but a result past 9999-12-31 saturates at MAX_DATE instead of throwing. */
export function addIsoDurationClamped(date: IsoDate, duration: string): IsoDate {
  return add(date, duration) ?? MAX_DATE;
}
