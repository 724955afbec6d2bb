/**
 * What `record --help` says about the body and what `record --template` prints: every field of
 * `POST /commitments` (RecordCommitmentBody; a test holds the two lists equal) and an example
 * body that validates as it is.
 */
import { KINDS } from '../../domain/values.js';

/** Each field of the body, whether it is required, and what it holds. */
export const RECORD_FIELDS: ReadonlyArray<
  readonly [field: string, required: boolean, what: string]
> = [
  ['id', false, 'lower-case id, 3-80 of a-z 0-9 -; derived from the title when absent'],
  ['title', true, 'what is promised, at most 500 characters'],
  ['kind', true, KINDS.join(' | ')],
  ['parties', true, 'who promises: ISO country codes (KZ) or names of organisations'],
  [
    'statement',
    true,
    '{quote, madeAt: YYYY-MM-DD, madeBy?: [names], language?: BCP 47 tag such as en}',
  ],
  ['source', true, '{publisher, publishedAt: YYYY-MM-DD, title?, url?}'],
  ['metric', false, '{name, unit, target, baseline?: {value, asOf}}: a figure to follow'],
  [
    'due',
    false,
    '{text: "by 2030"} | {edtf: "2030"} | {latest: "2030-12-31"}; a vague phrase with {text, vague: true}',
  ],
  ['reviewEvery', false, 'ISO-8601 duration between follow-ups, e.g. P6M (default P3M)'],
  ['tags', false, '[tag, …]'],
];

/** A body that `record` accepts as it is: edit it and record it. */
export const RECORD_TEMPLATE = {
  title: 'Raise Uzbekistan-Kazakhstan trade turnover to $10 billion',
  kind: 'target',
  parties: ['UZ', 'KZ'],
  statement: {
    quote: 'The goal is to increase this figure to $10 billion',
    madeAt: '2025-11-15',
    madeBy: ['Shavkat Mirziyoyev'],
    language: 'en',
  },
  source: {
    publisher: 'Xinhua',
    title: 'Uzbekistan, Kazakhstan aim to raise trade to 10 bln USD',
    url: 'https://english.news.cn/20251115/example.html',
    publishedAt: '2025-11-15',
  },
  metric: {
    name: 'trade turnover',
    unit: 'USD',
    baseline: { value: 4000000000, asOf: '2025-11-15' },
    target: 10000000000,
  },
  due: { text: 'by 2030' },
  reviewEvery: 'P3M',
  tags: ['trade'],
} as const;

/** The text after commander's own help: the fields, and an example. */
export function recordHelpText(): string {
  const w = Math.max(...RECORD_FIELDS.map(([f]) => f.length)) + 2;
  const lines = RECORD_FIELDS.map(
    ([f, required, what]) => `  ${f.padEnd(w)}${required ? 'required' : 'optional'}  ${what}`,
  );
  return [
    '',
    'The body is the JSON of POST /commitments (see docs/api.md):',
    ...lines,
    '',
    'Example:',
    '  commitments record --template > trade.json   # a body to fill in',
    '  commitments record trade.json',
    `  echo '{"title":"Hold the first Council of Regional Heads","kind":"meeting","parties":["UZ","KZ"],"statement":{"quote":"…","madeAt":"2025-11-15"},"source":{"publisher":"Xinhua","publishedAt":"2025-11-15"},"due":{"text":"in 2026"}}' | commitments record -`,
    '',
  ].join('\n');
}
