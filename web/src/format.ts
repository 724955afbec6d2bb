/**
 * How the dashboard writes values: dates as `15 Nov 2025` (the ISO date on hover), instants in
 * UTC, amounts as `$10 billion`, statuses in words. Pure functions, no locale: the same output in
 * every browser.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2025-11-15` → `15 Nov 2025`. Anything else is returned as given. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const month = MONTHS[Number(m[2]) - 1];
  if (!month) return iso;
  return `${Number(m[3])} ${month} ${m[1]}`;
}

/** `2025-11-15T10:04:05.000Z` → `15 Nov 2025, 10:04:05 UTC`. */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso);
  if (!m) return iso;
  return `${formatDate(m[1])}, ${m[2]} UTC`;
}

const CURRENCY_SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥' };
const SCALES: Array<[number, string]> = [
  [1e12, 'trillion'],
  [1e9, 'billion'],
  [1e6, 'million'],
];

function trimNumber(n: number, digits: number): string {
  return Number(n.toFixed(digits)).toString();
}

/** A number for reading: `10 billion`, `4.5 billion`, `12,500`. */
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  for (const [scale, word] of SCALES) {
    if (abs >= scale) return `${trimNumber(value / scale, 2)} ${word}`;
  }
  if (Number.isInteger(value)) {
    return value.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }
  return trimNumber(value, 2);
}

/** An amount in its unit: `$10 billion`, `€3 million`, `45%`, `1.2 million tonnes`. */
export function formatAmount(value: number | null | undefined, unit?: string | null): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  const n = formatNumber(value);
  if (!unit) return n;
  const symbol = CURRENCY_SYMBOLS[unit.toUpperCase()];
  if (symbol) return value < 0 ? `-${symbol}${n.slice(1)}` : `${symbol}${n}`;
  if (unit === '%' || unit.toLowerCase() === 'percent') return `${n}%`;
  return `${n} ${unit}`;
}

/** `in_progress` → `In progress`. */
export function humanise(value: string | null | undefined): string {
  if (!value) return '';
  const s = value.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const ITEM_LABELS: Record<string, string> = { deadline: 'Deadline', follow_up: 'Follow-up' };

/** Today's date in UTC, `YYYY-MM-DD`. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Days since 1970-01-01 for a `YYYY-MM-DD` date. */
export function dayNumber(iso: string): number {
  return Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / 86_400_000);
}

/** A `datetime-local` value, read as UTC, → an ISO instant at the end of that second or minute. */
export function localInputToInstant(value: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value);
  if (!m) return null;
  if (m[2] === undefined) return `${m[1]}T23:59:59.999Z`;
  return `${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '59'}.999Z`;
}

/** An ISO instant → a `datetime-local` value in UTC with seconds. */
export function instantToLocalInput(iso: string): string {
  return iso.slice(0, 19);
}

/** CSV with the OWASP rule against formula injection and a UTF-8 byte-order mark. */
export function toCsv(
  rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>,
): string {
  const cell = (v: string | number | null | undefined): string => {
    let s = v === null || v === undefined ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `\uFEFF${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
