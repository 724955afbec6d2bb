/** The dateline of a report: where its body starts and the date it gives (method, step 1). */
import { RecordCommitmentBody, type IsoDate } from '../domain/index.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const pad2 = (n: number): string => String(n).padStart(2, '0');

/** A dateline at the head of a sentence, to leave out of a quote or a subject. */
export const DATELINE_PREFIX =
  /^[A-Z][\p{L} .'-]{1,40}(?:,\s+[A-Z][a-z]+\.?\s+\d{1,2})?\s*(?:\([^)]{1,60}\))?\s*[–—]\s+/u;

/** A dateline: "Tashkent, November 15 (Xinhua) —" or "ASTANA (Sputnik - 17th May, 2023)". */
export function findDateline(
  text: string,
  publishedAt: IsoDate,
): { date: IsoDate; start: number; end: number } | null {
  const head = text.slice(0, 3000);
  const forms: Array<[RegExp, (m: RegExpExecArray) => [number, number, number | null]]> = [
    [
      /^\s*[A-Z][\p{L} .'-]{1,40},\s+([A-Z][a-z]{2,8})\.?\s+(\d{1,2})(?:,\s+(\d{4}))?\s*(?:\([^)\n]{1,40}\))?\s*[—–-]+/mu,
      (m) => [monthIndex(m[1]), Number(m[2]), m[3] ? Number(m[3]) : null],
    ],
    [
      /^\s*[A-Z][\p{L} .'-]{1,40}\s*\([^)\n]*?(\d{1,2})(?:st|nd|rd|th)?\s+([A-Z][a-z]{2,8}),?\s+(\d{4})\)/mu,
      (m) => [monthIndex(m[2]), Number(m[1]), Number(m[3])],
    ],
  ];
  for (const [re, read] of forms) {
    const m = re.exec(head);
    if (!m) continue;
    const [month, day, explicitYear] = read(m);
    if (month < 1 || day < 1 || day > 31) continue;
    let year = explicitYear ?? Number(publishedAt.slice(0, 4));
    let date = `${year}-${pad2(month)}-${pad2(day)}`;
    // A dateline without a year after the publication day belongs to the year before.
    if (explicitYear === null && date > publishedAt) {
      year -= 1;
      date = `${year}-${pad2(month)}-${pad2(day)}`;
    }
    if (RecordCommitmentBody.shape.statement.shape.madeAt.safeParse(date).success) {
      return { date, start: m.index, end: m.index + m[0].length };
    }
  }
  return null;
}

function monthIndex(name: string | undefined): number {
  return MONTHS.indexOf((name ?? '').slice(0, 3).toLowerCase()) + 1;
}
