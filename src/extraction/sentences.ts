/**
 * Sentence splitting: lines are hard boundaries (headlines, list items and datelines stand on
 * their own), and within a line `Intl.Segmenter` finds the sentences. The segmenter splits after
 * every full stop followed by a capital ("Mr. Smith", "Sh. Mirziyoyev", "the U.S. Ambassador"),
 * so a segment that ends in a known abbreviation or an initial is joined to the next one.
 *
 * Every span is an offset pair into the original text, so a quote is always `text.slice(start, end)`.
 */

export interface Span {
  start: number;
  end: number;
}

export interface Sentence extends Span {
  /** Index of the line (paragraph) the sentence belongs to. */
  line: number;
  /** True when the line starts with a list marker ("1.", "-", "(2)"). */
  listItem: boolean;
}

/** Abbreviations after which a full stop does not end a sentence (lower-case, without the dot). */
export const ABBREVIATIONS: ReadonlySet<string> = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'st',
  'prof',
  'gen',
  'col',
  'lt',
  'sen',
  'rep',
  'gov',
  'amb',
  'hon',
  'rev',
  'jr',
  'sr',
  'no',
  'nos',
  'vol',
  'art',
  'para',
  'fig',
  'approx',
  'vs',
  'etc',
  'inc',
  'ltd',
  'co',
  'corp',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'u.s',
  'u.k',
  'u.n',
  'e.g',
  'i.e',
]);

/** An initial or a run of initials: "K.", "Sh.", "K.-Zh.", "J.R.R." (one or two letters each). */
const INITIALS_RE = /(?:^|[\s(])(?:[A-Z][a-z]?\.-?){1,4}$/;
const LAST_TOKEN_RE = /([A-Za-z.]+)\.$/;
const LIST_MARKER_RE = /^\s*(?:\d{1,3}[.)]|\(\d{1,3}\)|[-–—•*])\s+/;

function endsInAbbreviation(segment: string, lineStart: boolean): boolean {
  const s = segment.trimEnd();
  if (!s.endsWith('.')) return false;
  // A bare number opening a line ("1.") is a list marker, not a sentence.
  if (lineStart && /^\s*\d{1,3}\.$/.test(s)) return true;
  if (INITIALS_RE.test(s)) return true;
  const m = LAST_TOKEN_RE.exec(s);
  if (!m) return false;
  const token = (m[1] ?? '').toLowerCase().replace(/^\.+/, '');
  return ABBREVIATIONS.has(token);
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Split `text` into sentences with offsets; whitespace around each is trimmed. */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let lineStart = 0;
  let lineNo = 0;
  const lines = text.split('\n');
  for (const line of lines) {
    const listItem = LIST_MARKER_RE.test(line);
    let pending: Span | null = null;
    for (const chunk of chunks(line)) {
      const segments = [...segmenter.segment(line.slice(chunk.start, chunk.end))];
      segments.forEach((seg, i) => {
        const start = lineStart + chunk.start + seg.index;
        const end = start + seg.segment.length;
        pending = pending ? { start: pending.start, end } : { start, end };
        if (endsInAbbreviation(seg.segment, chunk.start + seg.index === 0)) return;
        // The last piece of a chunk cut mid-sentence continues in the next chunk.
        if (i === segments.length - 1 && !chunk.last && !SENTENCE_END_RE.test(seg.segment)) return;
        pushTrimmed(text, pending, lineNo, listItem, out);
        pending = null;
      });
    }
    if (pending) pushTrimmed(text, pending, lineNo, listItem, out);
    lineStart += line.length + 1;
    lineNo += 1;
  }
  return out;
}

const SENTENCE_END_RE = /[.!?…]["”’»)]*\s*$/;
/** Longest piece handed to the segmenter: its iteration costs time quadratic in the input. */
const CHUNK = 2000;

/** Cut a long line into pieces of at most CHUNK characters, after a full stop where possible. */
function chunks(line: string): Array<{ start: number; end: number; last: boolean }> {
  const out: Array<{ start: number; end: number; last: boolean }> = [];
  let start = 0;
  while (line.length - start > CHUNK) {
    const window = line.slice(start + CHUNK / 2, start + CHUNK);
    let cut = -1;
    for (const m of window.matchAll(/[.!?]["”’»)]*\s+/g)) cut = m.index + m[0].length;
    if (cut < 0) for (const m of window.matchAll(/\s+/g)) cut = m.index + m[0].length;
    const end = cut < 0 ? start + CHUNK : start + CHUNK / 2 + cut;
    out.push({ start, end, last: false });
    start = end;
  }
  out.push({ start, end: line.length, last: true });
  return out;
}

function pushTrimmed(
  text: string,
  span: Span,
  line: number,
  listItem: boolean,
  out: Sentence[],
): void {
  const t = trimSpan(text, span);
  if (t.end > t.start) out.push({ ...t, line, listItem });
}

/** Narrow a span past surrounding whitespace. */
export function trimSpan(text: string, span: Span): Span {
  let { start, end } = span;
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  return { start, end };
}

const OPEN_QUOTES = '"“«‘\'';
const CLOSE_QUOTES = '"”»’\'';

/**
 * Narrow a span to its words: drop a list marker, opening quotation marks that do not close
 * inside it, and trailing separators (`;`, `:`, `,`) and unmatched closing quotes.
 */
export function tidySpan(text: string, span: Span): Span {
  let { start, end } = trimSpan(text, span);
  for (;;) {
    const before = { start, end };
    const head = text.slice(start, end);
    const marker = LIST_MARKER_RE.exec(head);
    if (marker) start += marker[0].length;
    while (start < end && OPEN_QUOTES.includes(text[start] ?? '')) start++;
    while (end > start && /[\s;:,—–-]/.test(text[end - 1] ?? '')) end--;
    while (end > start && CLOSE_QUOTES.includes(text[end - 1] ?? '')) end--;
    while (end > start && /[\s;:,]/.test(text[end - 1] ?? '')) end--;
    // A dangling conjunction where the next clause was cut off: "…, and".
    const dangling = /[\s,;]+(?:and|or|while|but)$/.exec(text.slice(start, end));
    if (dangling) end -= dangling[0].length;
    ({ start, end } = trimSpan(text, { start, end }));
    if (start === before.start && end === before.end) break;
  }
  return { start, end };
}

/** The words of a span, tidied (`tidySpan`). */
export function tidied(text: string, span: Span): string {
  const t = tidySpan(text, span);
  return text.slice(t.start, t.end);
}

/** A tidied span with its words, as a skipped sentence quotes it. */
export function quoteOf(text: string, span: Span): { quote: string; start: number; end: number } {
  const t = tidySpan(text, span);
  return { quote: text.slice(t.start, t.end), start: t.start, end: t.end };
}
