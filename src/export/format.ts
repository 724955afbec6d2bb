/** Amounts and sources as people read them, for the calendar's descriptions. */
import type { Source } from '../domain/values.js';

const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6, useGrouping: true });

/** Currency units written with their symbol in front. */
const SYMBOLS: Readonly<Record<string, string>> = { USD: '$', EUR: '€', GBP: '£' };

/**
 * `10000000000, 'USD'` → `$10,000,000,000`; `12500, 'tonnes'` → `12,500 tonnes`;
 * `-5, 'USD'` → `-$5`. Digits are grouped in threes with commas (en-US), whatever the locale.
 */
export function formatAmount(value: number, unit: string): string {
  const symbol = SYMBOLS[unit.trim().toUpperCase()];
  const digits = GROUPED.format(Math.abs(value));
  const sign = value < 0 ? '-' : '';
  if (symbol !== undefined) return `${sign}${symbol}${digits}`;
  return unit.trim() === '' ? `${sign}${digits}` : `${sign}${digits} ${unit.trim()}`;
}

/** `Xinhua, 2025-11-15, "Title", https://…` (title and URL when known). */
export function sourceLine(s: Source): string {
  return [s.publisher, s.publishedAt, s.title !== undefined ? `"${s.title}"` : null, s.url ?? null]
    .filter((x): x is string => x !== null)
    .join(', ');
}
