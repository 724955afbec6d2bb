/**
 * Synthetic but realistic data for the benchmarks: a tracker's event log over ten years
 * (2016-01-01 .. 2026-06-30), in recording order.
 *
 * Seeded from the 200 real, expert-assessed commitments in
 * /work/shared/data/compliance-extract.json (copied into bench/templates.json): their titles,
 * actors, deadline phrases and assessment histories are cycled as templates. On top of that,
 * each commitment gets what a real desk records over its life: progress reports on a review
 * cadence (with metric values for the ~40% that carry a metric), reviews (on_track / at_risk /
 * stalled), added sources, deadline and target revisions, an outcome (sometimes re-recorded),
 * and now and then a withdrawal, a supersession or a correction.
 *
 * Everything is deterministic for a given seed (mulberry32). Event data is valid against the
 * schemas of src/domain/events.ts (test/unit/bench-generate.test.ts checks a sample).
 */
import fs from 'node:fs';
import type { DomainEvent } from '../src/domain/events.js';
import type { DueWindow as Due, DatedDueInput, Source } from '../src/domain/values.js';
import { interpretDue } from '../src/domain/deadline.js';
import { commitmentStream } from '../src/store/port.js';

// ------------------------------------------------------------------ PRNG

/** mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
const chance = (rng: Rng, p: number): boolean => rng() < p;

// ------------------------------------------------------------------ dates as day numbers

const DAY_MS = 86_400_000;
const isoCache = new Map<number, string>();
/** Days since 1970-01-01 → `YYYY-MM-DD`. */
export function dayToIso(day: number): string {
  let s = isoCache.get(day);
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    isoCache.set(day, s);
  }
  return s;
}
/** `YYYY-MM-DD` → days since 1970-01-01. */
export const isoToDay = (iso: string): number =>
  Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);

export const DATA_START = '2016-01-01';
export const DATA_END = '2026-06-30';

// ------------------------------------------------------------------ templates (real data)

export interface Template {
  sourceId: string;
  title: string;
  actor: string;
  madeAt: string;
  deadlineText: string | null;
  statusHistory: Array<{
    status: string;
    at: string | null;
    publishedStatus: string;
    report: string;
    asOf: string | null;
  }>;
}

/**
 * The 200 real assessed commitments: bench/templates.json is a copy of
 * /work/shared/data/compliance-extract.json (G7/G20 Research Group compliance scores).
 * Found next to this file (vitest) or in the source tree (dist/bench/).
 */
function loadTemplates(): Template[] {
  const candidates = [
    new URL('./templates.json', import.meta.url),
    new URL('../../bench/templates.json', import.meta.url),
  ];
  for (const u of candidates) {
    if (fs.existsSync(u)) return JSON.parse(fs.readFileSync(u, 'utf8')) as Template[];
  }
  throw new Error('bench/templates.json not found');
}
export const TEMPLATES: readonly Template[] = loadTemplates();

/** Members assessed in the real data → party (ISO 3166 alpha-2, or the organisation's name). */
const ACTOR_PARTY: Record<string, string> = {
  Canada: 'CA',
  France: 'FR',
  Germany: 'DE',
  Italy: 'IT',
  Japan: 'JP',
  'United Kingdom': 'GB',
  'United States': 'US',
  'European Union': 'European Union',
  Brazil: 'BR',
  China: 'CN',
  India: 'IN',
  Russia: 'RU',
};

/** Parties that join the template's actor: countries and organisations. */
export const PARTIES: readonly string[] = [
  'UZ',
  'KZ',
  'KG',
  'TJ',
  'TM',
  'AZ',
  'GE',
  'AM',
  'TR',
  'MN',
  'CN',
  'RU',
  'US',
  'DE',
  'FR',
  'GB',
  'JP',
  'KR',
  'IN',
  'PK',
  'AF',
  'IR',
  'AE',
  'SA',
  'IT',
  'CA',
  'BR',
  'ZA',
  'EG',
  'ID',
  'European Union',
  'World Bank',
  'Asian Development Bank',
  'Shanghai Cooperation Organisation',
  'Eurasian Economic Union',
  'ASEAN',
  'African Union',
  'UNDP',
  'OSCE',
  'CAREC',
];

const TAGS = [
  'trade',
  'energy',
  'climate',
  'transport',
  'water',
  'health',
  'finance',
  'digital',
  'security',
  'education',
  'agriculture',
  'migration',
  'border',
  'investment',
  'tourism',
] as const;

const PUBLISHERS = [
  'Xinhua',
  'Kun.uz',
  'Kazinform',
  'Reuters',
  'AKIpress',
  'Trend',
  'TASS',
  'Gazeta.uz',
  'G20 Research Group',
  'G7 Research Group',
  'Ministry of Foreign Affairs',
  'The Diplomat',
] as const;

const SPEAKERS = [
  'Shavkat Mirziyoyev',
  'Kassym-Jomart Tokayev',
  'Sadyr Japarov',
  'Emomali Rahmon',
  'Serdar Berdimuhamedov',
  'Ilham Aliyev',
  'Foreign Minister',
  'Trade Minister',
  'Deputy Prime Minister',
] as const;

const METRICS: ReadonlyArray<{ name: string; unit: string; lo: number; hi: number }> = [
  { name: 'trade turnover', unit: 'USD', lo: 5e8, hi: 2e10 },
  { name: 'investment', unit: 'USD', lo: 1e8, hi: 5e9 },
  { name: 'renewable capacity', unit: 'GW', lo: 0.5, hi: 40 },
  { name: 'emissions cut', unit: '%', lo: 5, hi: 60 },
  { name: 'railway built', unit: 'km', lo: 50, hi: 3000 },
  { name: 'joint ventures', unit: 'count', lo: 10, hi: 500 },
  { name: 'border crossings opened', unit: 'count', lo: 1, hi: 20 },
  { name: 'electricity exports', unit: 'GWh', lo: 100, hi: 8000 },
];

const KINDS_WEIGHTED = [
  'target',
  'agreement',
  'agreement',
  'meeting',
  'proposal',
  'project',
  'project',
  'other',
] as const;
const REVIEW_EVERY = ['P1M', 'P3M', 'P3M', 'P3M', 'P6M', 'P6M', 'P1Y'] as const;
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** One of the accepted deadline phrase forms, for a statement made in `year`. */
function duePhrase(rng: Rng, year: number): string {
  const y1 = year + int(rng, 0, 1);
  const yN = year + int(rng, 1, 5);
  switch (int(rng, 0, 11)) {
    case 0:
      return `in ${y1}`;
    case 1:
      return `by ${yN}`;
    case 2:
      return `by the end of ${yN}`;
    case 3:
      return `before ${yN + 1}`;
    case 4:
      return `H${int(rng, 1, 2)} ${year + 1}`;
    case 5:
      return `Q${int(rng, 1, 4)} ${year + 1}`;
    case 6:
      return `in ${pick(rng, MONTH_NAMES)} ${year + 1}`;
    case 7:
      return `by ${int(rng, 1, 28)} ${pick(rng, MONTH_NAMES)} ${yN}`;
    case 8:
      return 'next year';
    case 9:
      return 'by the end of next year';
    case 10:
      return pick(rng, [
        'within two years',
        'within 18 months',
        'within three years',
        'within 6 months',
      ]);
    default:
      return `by end-${yN}`;
  }
}

function interpret(input: DatedDueInput, ref: string): Due | null {
  try {
    return interpretDue(input, ref);
  } catch {
    return null;
  }
}

function slug(s: string, max: number): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
}

function source(rng: Rng, publishedAt: string, title?: string): Source {
  const publisher = pick(rng, PUBLISHERS);
  const s: Source = { publisher, publishedAt };
  if (title !== undefined) s.title = title;
  if (chance(rng, 0.8))
    s.url = `https://news.example.org/${publishedAt.replace(/-/g, '/')}/${int(rng, 1000, 999999)}`;
  return s;
}

/** A value `round`ed to 3 significant-ish decimals so JSON stays short. */
const round = (x: number): number =>
  Math.abs(x) >= 1000 ? Math.round(x) : Math.round(x * 1000) / 1000;

// ------------------------------------------------------------------ one commitment's life

export interface TimedEvent {
  /** Day (since epoch) the event is recorded on. */
  day: number;
  event: DomainEvent;
}

export interface CommitmentLife {
  index: number;
  id: string;
  stream: string;
  events: TimedEvent[];
}

const ASSESS_OF: Record<string, 'on_track' | 'at_risk' | 'stalled'> = {
  '+1': 'on_track',
  '0': 'at_risk',
  '-1': 'stalled',
};
const OUTCOME_OF: Record<string, 'fulfilled' | 'partially_fulfilled' | 'missed'> = {
  '+1': 'fulfilled',
  '0': 'partially_fulfilled',
  '-1': 'missed',
};

/**
 * The whole life of commitment `index`, made on day `madeDay`, with events up to `endDay`
 * (later ones are not yet known: the commitment stays open). Events are in day order.
 */
export function commitmentLife(
  seed: number,
  index: number,
  madeDay: number,
  endDay: number,
): CommitmentLife {
  const rng = makeRng((seed * 0x9e3779b1 + index * 0x85ebca6b) >>> 0);
  const t = TEMPLATES[index % TEMPLATES.length] as Template;
  const madeAt = dayToIso(madeDay);
  const year = Number(madeAt.slice(0, 4));
  const id = `c${index.toString(36).padStart(5, '0')}-${slug(t.title, 40)}`;
  const stream = commitmentStream(id);
  const events: TimedEvent[] = [];
  const push = (day: number, event: DomainEvent): void => {
    if (day <= endDay) events.push({ day, event });
  };
  const lag = (): number => int(rng, 0, 6); // recorded a few days after the fact

  // Parties: the template's actor, plus 0..3 others.
  const parties = [ACTOR_PARTY[t.actor] ?? t.actor];
  const extra = pick(rng, [0, 1, 1, 1, 2, 3]);
  for (let i = 0; i < extra; i += 1) {
    const p = pick(rng, PARTIES);
    if (!parties.includes(p)) parties.push(p);
  }
  const tags = [pick(rng, TAGS)];
  if (chance(rng, 0.4)) {
    const t2 = pick(rng, TAGS);
    if (!tags.includes(t2)) tags.push(t2);
  }

  // Metric on ~40%.
  const hasMetric = chance(rng, 0.4);
  const m = pick(rng, METRICS);
  const baselineValue = round(m.lo + rng() * (m.hi - m.lo) * 0.4);
  let target = round(baselineValue * (1.3 + rng() * 1.7));
  const metric = hasMetric
    ? {
        name: m.name,
        unit: m.unit,
        baseline: chance(rng, 0.85) ? { value: baselineValue, asOf: madeAt } : null,
        target,
      }
    : null;

  // Deadline: the template's own phrase when it can be read, else a phrase form; ~20% have none.
  let due: Due | null = null;
  if (chance(rng, 0.8)) {
    const real =
      t.deadlineText && chance(rng, 0.3) ? interpret({ text: t.deadlineText }, madeAt) : null;
    due = real && real.latest > madeAt ? real : interpret({ text: duePhrase(rng, year) }, madeAt);
    if (due && due.latest < madeAt) due = null;
  }
  const reviewEvery = pick(rng, REVIEW_EVERY);
  const stepDays =
    reviewEvery === 'P1M' ? 30 : reviewEvery === 'P3M' ? 91 : reviewEvery === 'P6M' ? 182 : 365;

  push(madeDay + lag(), {
    type: 'CommitmentRecorded',
    data: {
      id,
      title: t.title,
      kind: hasMetric ? 'target' : pick(rng, KINDS_WEIGHTED),
      parties,
      statement: {
        quote: `${t.title}.`,
        madeAt,
        madeBy: [pick(rng, SPEAKERS)],
        language: 'en',
      },
      source: source(rng, madeAt, t.title),
      metric,
      due,
      reviewEvery,
      tags,
    },
  });

  // The life ends some time after the deadline (or after 1..4 years without one).
  const dueDay = due ? isoToDay(due.latest) : madeDay + int(rng, 365, 4 * 365);
  const closeDay = dueDay + int(rng, 20, 240);
  let day = madeDay;
  let latest = baselineValue;
  let dueRevised = false;
  let closedEarly = false;

  // The real assessment history, mapped: interim scores become reviews, final scores outcomes.
  const interim = t.statusHistory.find((h) => /interim/i.test(h.report));
  const final = [...t.statusHistory].reverse().find((h) => /final/i.test(h.report));
  const firstFinal = t.statusHistory.find((h) => /final/i.test(h.report));

  while (true) {
    day += Math.max(7, Math.round(stepDays * (0.6 + rng() * 0.8)));
    if (day >= closeDay) break;
    const asOf = dayToIso(day);
    const r = rng();
    if (r < 0.58) {
      const data: Extract<DomainEvent, { type: 'ProgressReported' }>['data'] = { asOf };
      if (hasMetric) {
        latest = round(latest + (target - latest) * (rng() * 0.35 - 0.05));
        data.value = latest;
      }
      if (!hasMetric || chance(rng, 0.5))
        data.note = `Progress on ${t.title.toLowerCase()}: ${pick(rng, ['talks held', 'first tranche delivered', 'working group met', 'financing agreed', 'construction started', 'legislation drafted'])}.`;
      if (chance(rng, 0.6)) data.source = source(rng, asOf);
      push(day + lag(), { type: 'ProgressReported', data });
    } else if (r < 0.86) {
      const assessment =
        interim && chance(rng, 0.3)
          ? (ASSESS_OF[interim.publishedStatus] ?? 'at_risk')
          : pick(rng, [
              'on_track',
              'on_track',
              'on_track',
              'at_risk',
              'at_risk',
              'stalled',
            ] as const);
      const data: Extract<DomainEvent, { type: 'ReviewRecorded' }>['data'] = {
        reviewedAt: asOf,
        assessment,
      };
      if (chance(rng, 0.5)) data.note = `Assessed ${assessment.replace('_', ' ')} by the desk.`;
      push(day + lag(), { type: 'ReviewRecorded', data });
    } else if (r < 0.93) {
      push(day + lag(), {
        type: 'SourceAdded',
        data: {
          source: source(rng, asOf, `Follow-up: ${t.title}`),
          ...(chance(rng, 0.5) ? { quote: `${t.title} remains a priority.` } : {}),
        },
      });
    } else if (r < 0.96 && due && !dueRevised) {
      dueRevised = true;
      const revised = interpret({ text: duePhrase(rng, Number(asOf.slice(0, 4)) + 1) }, asOf);
      if (revised && revised.latest > asOf) {
        push(day + lag(), {
          type: 'DeadlineRevised',
          data: {
            due: revised,
            reason: 'Postponed by the parties',
            ...(chance(rng, 0.5) ? { source: source(rng, asOf) } : {}),
          },
        });
      }
    } else if (r < 0.98 && hasMetric) {
      target = round(target * (0.8 + rng() * 0.6));
      push(day + lag(), {
        type: 'TargetRevised',
        data: { target, reason: 'Target raised at the intergovernmental commission' },
      });
    } else if (r < 0.985) {
      push(day + lag(), {
        type: 'RecordCorrected',
        // Distinct tags, as the schema stores them (the store's door refuses data it would change).
        data: {
          fields: { tags: [...new Set([...tags, pick(rng, TAGS)])] },
          reason: 'Tags corrected',
        },
      });
    } else if (r < 0.99) {
      push(day + lag(), {
        type: 'CommitmentWithdrawn',
        data: {
          at: asOf,
          reason: 'Dropped after a change of government',
          ...(chance(rng, 0.5) ? { source: source(rng, asOf) } : {}),
        },
      });
      closedEarly = true;
      break;
    } else if (r < 0.995 && index > 0) {
      const by = `c${int(rng, Math.max(0, index - 500), index - 1)
        .toString(36)
        .padStart(
          5,
          '0',
        )}-${slug((TEMPLATES[int(rng, 0, TEMPLATES.length - 1)] as Template).title, 40)}`;
      push(day + lag(), {
        type: 'CommitmentSuperseded',
        data: { by, at: asOf, reason: 'Replaced by a broader agreement' },
      });
      closedEarly = true;
      break;
    }
  }

  if (!closedEarly && chance(rng, 0.88)) {
    const decidedAt = dayToIso(closeDay);
    const published = (firstFinal && chance(rng, 0.5) ? firstFinal : final)?.publishedStatus;
    const outcome =
      published && chance(rng, 0.6)
        ? (OUTCOME_OF[published] ?? 'partially_fulfilled')
        : pick(rng, ['fulfilled', 'fulfilled', 'partially_fulfilled', 'missed'] as const);
    push(closeDay + lag(), {
      type: 'OutcomeRecorded',
      data: {
        outcome,
        decidedAt,
        ...(chance(rng, 0.5) ? { note: 'Per the final compliance report.' } : {}),
        ...(chance(rng, 0.5) ? { source: source(rng, decidedAt) } : {}),
      },
    });
    // A later assessment sometimes overturns the first (as 22 of the real rows did).
    if (chance(rng, 0.06)) {
      const later = closeDay + int(rng, 30, 200);
      push(later + lag(), {
        type: 'OutcomeRecorded',
        data: {
          outcome: pick(rng, ['fulfilled', 'partially_fulfilled', 'missed'] as const),
          decidedAt: dayToIso(later),
          note: 'Re-assessed in the final report.',
        },
      });
    }
  }
  // Research Group scores (issue 15): the template's real interim and final scores of its actor,
  // published at the same distance from the statement as in the real reports (only the Rio 2024
  // G20 rows carry report dates). Drawn from a random stream of their own, so the other events of
  // a seed stay exactly as they were; none is recorded after a withdrawal or a supersession.
  const arng = makeRng((seed * 0x27d4eb2f + index * 0x165667b1 + 0x5bd1e995) >>> 0);
  if (chance(arng, 0.6)) {
    const templateMade = isoToDay(t.madeAt);
    const party = parties[0] as string;
    for (const h of t.statusHistory) {
      const score = Number(h.publishedStatus);
      if (h.at === null || h.asOf === null || (score !== -1 && score !== 0 && score !== 1))
        continue;
      const published = madeDay + Math.max(0, isoToDay(h.at) - templateMade);
      const periodEnd = Math.min(published, madeDay + Math.max(0, isoToDay(h.asOf) - templateMade));
      const recordedDay = published + int(arng, 0, 3);
      if (closedEarly && recordedDay >= day) continue;
      push(recordedDay, {
        type: 'PartyAssessed',
        data: {
          party,
          score,
          phase: /interim/i.test(h.report) ? 'interim' : 'final',
          report: {
            name: `${h.report} (${year})`,
            publishedAt: dayToIso(published),
            periodEnd: dayToIso(periodEnd),
          },
        },
      });
    }
  }
  // Recording lag can reorder neighbours: keep each stream in day order (stable).
  events.sort((a, b) => a.day - b.day);
  return { index, id, stream, events };
}

// ------------------------------------------------------------------ the log, in recording order

export interface LogEvent {
  stream: string;
  /** Instant the event is recorded at (UTC, ms), within its day. */
  recordedAt: string;
  event: DomainEvent;
}

export interface LogOptions {
  seed: number;
  /** Number of events to produce. */
  events: number;
  /** Events per commitment on average, used to size the population so the log spans the ten years. Default measured. */
  eventsPerCommitment?: number;
}

/** Measured mean events per commitment for this generator (see the unit test). */
export const MEAN_EVENTS_PER_COMMITMENT = 9;

/** Min-heap of commitment cursors by (next day, index). */
class CursorHeap {
  private readonly a: Array<{ life: CommitmentLife; i: number }> = [];
  get size(): number {
    return this.a.length;
  }
  private key(n: { life: CommitmentLife; i: number }): number {
    return (n.life.events[n.i] as TimedEvent).day * 1e7 + n.life.index;
  }
  peek(): { life: CommitmentLife; i: number } | undefined {
    return this.a[0];
  }
  push(n: { life: CommitmentLife; i: number }): void {
    const a = this.a;
    a.push(n);
    let c = a.length - 1;
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (this.key(a[p]!) <= this.key(a[c]!)) break;
      [a[p], a[c]] = [a[c]!, a[p]!];
      c = p;
    }
  }
  pop(): { life: CommitmentLife; i: number } | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let p = 0;
      for (;;) {
        const l = 2 * p + 1;
        const r = l + 1;
        let m = p;
        if (l < a.length && this.key(a[l]!) < this.key(a[m]!)) m = l;
        if (r < a.length && this.key(a[r]!) < this.key(a[m]!)) m = r;
        if (m === p) break;
        [a[p], a[m]] = [a[m]!, a[p]!];
        p = m;
      }
    }
    return top;
  }
}

/**
 * The event log in recording order: commitments are made evenly over 2016..2026 and live for
 * months to years, so their events interleave as in a real tracker. Stops after `events` events.
 */
export function* generateLog(opts: LogOptions): Generator<LogEvent, void, undefined> {
  const rng = makeRng(opts.seed ^ 0x5bd1e995);
  const start = isoToDay(DATA_START);
  const end = isoToDay(DATA_END);
  const population = Math.max(
    1,
    Math.ceil(opts.events / (opts.eventsPerCommitment ?? MEAN_EVENTS_PER_COMMITMENT)),
  );
  // Commitments are made over the first ~95% of the span, so the latest ones still see some life.
  const madeSpan = Math.floor((end - start) * 0.95);
  const heap = new CursorHeap();
  let next = 0;
  let emitted = 0;
  const madeDayOf = (i: number): number => start + Math.floor((i * madeSpan) / population);
  while (emitted < opts.events) {
    const top = heap.peek();
    const topDay = top ? (top.life.events[top.i] as TimedEvent).day : Infinity;
    if (next < population && madeDayOf(next) <= topDay) {
      const life = commitmentLife(opts.seed, next, madeDayOf(next), end);
      next += 1;
      if (life.events.length > 0) heap.push({ life, i: 0 });
      continue;
    }
    if (!top) {
      if (next >= population) return; // the population ran dry before `events`
      continue;
    }
    heap.pop();
    const te = top.life.events[top.i] as TimedEvent;
    const ms = int(rng, 7 * 3600_000, 19 * 3600_000);
    yield {
      stream: top.life.stream,
      recordedAt: new Date(te.day * DAY_MS + ms).toISOString(),
      event: te.event,
    };
    emitted += 1;
    if (top.i + 1 < top.life.events.length) heap.push({ life: top.life, i: top.i + 1 });
  }
}

/** One append of consecutive events of one stream, as `SqliteEventStore.appendMany` takes it. */
export interface ImportBatch {
  stream: string;
  recordedAt: string;
  events: DomainEvent[];
  /** The stream's revision before this batch (0: new stream). */
  expectedRevision: number;
}

/**
 * The log cut into chunks of about `chunkEvents` events; within a chunk, consecutive events of
 * one stream recorded at the same instant form one batch. Tracks each stream's revision.
 */
export function* importChunks(
  opts: LogOptions & { chunkEvents: number },
): Generator<ImportBatch[], void, undefined> {
  const revisions = new Map<string, number>();
  let chunk: ImportBatch[] = [];
  let inChunk = 0;
  for (const e of generateLog(opts)) {
    const prev = chunk[chunk.length - 1];
    if (prev && prev.stream === e.stream && prev.recordedAt === e.recordedAt) {
      prev.events.push(e.event);
    } else {
      const rev = revisions.get(e.stream) ?? 0;
      chunk.push({
        stream: e.stream,
        recordedAt: e.recordedAt,
        events: [e.event],
        expectedRevision: rev,
      });
    }
    revisions.set(e.stream, (revisions.get(e.stream) ?? 0) + 1);
    inChunk += 1;
    if (inChunk >= opts.chunkEvents) {
      yield chunk;
      chunk = [];
      inChunk = 0;
    }
  }
  if (chunk.length > 0) yield chunk;
}
