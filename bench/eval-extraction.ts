/**
 * `npm run eval:extraction`: the extraction benchmark of issue 17.
 *
 * For each labelled text (test/extraction/labels.json: offsets and facts, never the texts), read
 * the text from ../shared/sources (or EXTRACTION_SOURCES), extract, and print recall and
 * precision of commitments and, over the matched ones, the share with the right kind, parties,
 * metric target and deadline window.
 *
 * Matching: a candidate matches a labelled commitment when their spans overlap by at least half
 * of the labelled span (the label's quote or any of its other quotes). Labels marked borderline
 * (readiness, hedges, calls) are neither rewarded nor punished: a candidate matching only those
 * is not counted, and missing them is not a miss. A second candidate on an already matched
 * commitment is a false positive.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { extract, type Candidate } from '../src/extraction/index.js';

export interface LabelledCommitment {
  span: [number, number];
  otherSpans?: Array<[number, number]>;
  head: string;
  kind: string;
  title: string;
  parties: string[];
  metric?: { unit: string; target: number; baseline?: { value: number; asOf: string } };
  due?: { text: string; earliest: string | null; latest: string | null };
  borderline?: boolean;
}

export interface LabelledText {
  file: string;
  dir: string;
  chars: number;
  source: { publisher: string; title?: string; url?: string; publishedAt: string; note?: string };
  statementDate: string;
  commitments: LabelledCommitment[];
  notCommitments: Array<{ span: [number, number]; head: string }>;
}

export interface TextScore {
  file: string;
  labelled: number;
  candidates: number;
  truePositives: number;
  falsePositives: number;
  ignored: number;
  fields: { kind: number; parties: number; metric: number; due: number };
  misses: string[];
  wrong: string[];
  extras: string[];
}

const overlap = (a: [number, number], b: [number, number]): number =>
  Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]));

function matches(c: Candidate, l: LabelledCommitment): boolean {
  const spans = [l.span, ...(l.otherSpans ?? [])];
  return spans.some((s) => overlap([c.start, c.end], s) * 2 >= s[1] - s[0]);
}

const sameSet = (a: string[], b: string[]): boolean =>
  a.length === b.length && a.every((x) => b.includes(x));

/** Score one text's candidates against its labels. */
export function scoreText(label: LabelledText, candidates: Candidate[]): TextScore {
  const score: TextScore = {
    file: label.file,
    labelled: label.commitments.filter((c) => !c.borderline).length,
    candidates: candidates.length,
    truePositives: 0,
    falsePositives: 0,
    ignored: 0,
    fields: { kind: 0, parties: 0, metric: 0, due: 0 },
    misses: [],
    wrong: [],
    extras: [],
  };
  const matched = new Set<LabelledCommitment>();
  for (const c of candidates) {
    const hits = label.commitments.filter((l) => matches(c, l));
    const fresh = hits.find((l) => !l.borderline && !matched.has(l));
    if (fresh) {
      matched.add(fresh);
      score.truePositives += 1;
      const checks = {
        kind: c.kind === fresh.kind,
        parties: sameSet(c.parties, fresh.parties),
        metric: (fresh.metric?.target ?? null) === (c.metric?.target ?? null),
        due:
          (fresh.due?.earliest ?? null) === (c.due?.earliest ?? null) &&
          (fresh.due?.latest ?? null) === (c.due?.latest ?? null),
      };
      for (const k of Object.keys(checks) as Array<keyof typeof checks>) {
        if (checks[k]) score.fields[k] += 1;
        else
          score.wrong.push(
            `${k}: "${fresh.head}…" got ${JSON.stringify(k === 'kind' ? c.kind : k === 'parties' ? c.parties : k === 'metric' ? (c.metric?.target ?? null) : c.due ? [c.due.earliest, c.due.latest] : null)}, labelled ${JSON.stringify(k === 'kind' ? fresh.kind : k === 'parties' ? fresh.parties : k === 'metric' ? (fresh.metric?.target ?? null) : fresh.due ? [fresh.due.earliest, fresh.due.latest] : null)}`,
          );
      }
    } else if (hits.length > 0 && hits.every((l) => l.borderline)) {
      score.ignored += 1;
    } else {
      score.falsePositives += 1;
      score.extras.push(
        `${hits.length > 0 ? 'repeat' : 'extra'}: "${c.quote.slice(0, 70)}…" (${c.kind})`,
      );
    }
  }
  for (const l of label.commitments) {
    if (!l.borderline && !matched.has(l)) score.misses.push(`missed: "${l.head}…" (${l.kind})`);
  }
  return score;
}

const ratio = (n: number, d: number): string =>
  d === 0 ? '  -  ' : (n / d).toFixed(2).padStart(5);

export function sourcesDir(): string {
  // EXTRACTION_SOURCES names the sources directory; COMMITMENTS_SHARED_DIR (as the CLI tests) ../shared.
  if (process.env.EXTRACTION_SOURCES) return process.env.EXTRACTION_SOURCES;
  const shared = process.env.COMMITMENTS_SHARED_DIR || resolve(process.cwd(), '../shared');
  return resolve(shared, 'sources');
}

export function loadLabels(): LabelledText[] {
  return JSON.parse(
    readFileSync(resolve(process.cwd(), 'test/extraction/labels.json'), 'utf8'),
  ) as LabelledText[];
}

export function runEval(
  labels: LabelledText[],
  dir: string,
): { scores: TextScore[]; table: string } {
  const scores: TextScore[] = [];
  for (const label of labels) {
    const text = readFileSync(resolve(dir, label.dir, label.file), 'utf8');
    if (text.length !== label.chars) {
      throw new Error(`${label.file}: ${text.length} characters, the labels expect ${label.chars}`);
    }
    const { note: _note, ...source } = label.source;
    const result = extract({ text, source, statementDate: label.statementDate });
    scores.push(scoreText(label, result.candidates));
  }
  const lines: string[] = [];
  lines.push(
    '| text | labelled | candidates | TP | FP | recall | precision | kind | parties | metric | deadline |',
  );
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const total: TextScore = {
    file: '**overall**',
    labelled: 0,
    candidates: 0,
    truePositives: 0,
    falsePositives: 0,
    ignored: 0,
    fields: { kind: 0, parties: 0, metric: 0, due: 0 },
    misses: [],
    wrong: [],
    extras: [],
  };
  const row = (s: TextScore): string => {
    const tp = s.truePositives;
    return `| ${s.file} | ${s.labelled} | ${s.candidates} | ${tp} | ${s.falsePositives} | ${ratio(tp, s.labelled)} | ${ratio(tp, tp + s.falsePositives)} | ${ratio(s.fields.kind, tp)} | ${ratio(s.fields.parties, tp)} | ${ratio(s.fields.metric, tp)} | ${ratio(s.fields.due, tp)} |`;
  };
  for (const s of scores) {
    lines.push(row(s));
    total.labelled += s.labelled;
    total.candidates += s.candidates;
    total.truePositives += s.truePositives;
    total.falsePositives += s.falsePositives;
    for (const k of Object.keys(total.fields) as Array<keyof TextScore['fields']>)
      total.fields[k] += s.fields[k];
  }
  lines.push(row(total));
  const tp = total.truePositives;
  const fieldsRight =
    (total.fields.kind + total.fields.parties + total.fields.metric + total.fields.due) /
    (4 * tp || 1);
  lines.push('');
  lines.push(
    `recall ${ratio(tp, total.labelled).trim()} (target ≥ 0.90), precision ${ratio(tp, tp + total.falsePositives).trim()} (≥ 0.80), fields right ${fieldsRight.toFixed(2)} (≥ 0.90); candidates on borderline labels, not counted: ${scores.reduce((n, s) => n + s.ignored, 0)}`,
  );
  return { scores, table: lines.join('\n') };
}

function main(): void {
  const dir = sourcesDir();
  if (!existsSync(resolve(dir, 'extraction'))) {
    console.error(
      `eval:extraction needs the source texts in ${dir} (set EXTRACTION_SOURCES to elsewhere)`,
    );
    process.exitCode = 2;
    return;
  }
  const { scores, table } = runEval(loadLabels(), dir);
  console.log(table);
  if (process.argv.includes('--verbose') || process.env.VERBOSE) {
    for (const s of scores) {
      const notes = [...s.misses, ...s.extras, ...s.wrong];
      if (notes.length === 0) continue;
      console.log(`\n${s.file}`);
      for (const n of notes) console.log(`  ${n}`);
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
