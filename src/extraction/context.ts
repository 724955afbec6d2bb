/**
 * What the steps of one extraction share: its input, the context read once from the whole text
 * (statement date, mentions, people, the states the text is about, past facts), and the shapes
 * that pass from step to step (cue hits, clauses, list lead-ins).
 */
import type { IsoDate, Kind, Source } from '../domain/index.js';
import type { FoundAmount } from './amounts.js';
import { findDateline } from './dateline.js';
import type { FoundDeadline } from './deadlines.js';
import type { CueRule } from './lexicon.js';
import { findMentions, findPeople, type Mention, type Person } from './parties.js';
import { splitSentences, type Sentence, type Span } from './sentences.js';

export interface ExtractInput {
  text: string;
  source: Source;
  statementDate?: IsoDate;
  language?: 'en';
}

/** An undertaking cue found in a sentence. */
export interface CueHit extends Span {
  rule: CueRule;
  text: string;
}

/** A stretch of a sentence carrying one undertaking: one candidate at most. */
export interface Clause extends Span {
  cue: CueHit;
  sentence: Sentence;
  /** Position in the sentence's list of clauses (0 = first). */
  index: number;
}

/** What a list lead-in lends to the items under it. */
export interface LeadIn {
  kind: Kind;
  due: FoundDeadline | null;
  parties: string[] | null;
  cue: string;
}

/** A figure of what has happened, a baseline for a target of the same measure. */
export interface PastFact {
  amount: FoundAmount;
  sentence: Sentence;
  asOf: IsoDate;
  words: Set<string>;
}

export interface Ctx {
  text: string;
  statementDate: IsoDate;
  mentions: Mention[];
  people: Person[];
  textStates: string[];
  facts: PastFact[];
}

/**
 * Read the whole text once: its statement date (the request's, else the dateline's, else the
 * publication date), its sentences and mentions after the dateline, its people, and the states
 * it is about. `facts` starts empty; the first pass over the sentences fills it.
 */
export function readContext(input: ExtractInput): { ctx: Ctx; sentences: Sentence[] } {
  const { text, source } = input;
  const dateline = findDateline(text, source.publishedAt);
  const statementDate = input.statementDate ?? dateline?.date ?? source.publishedAt;
  const bodyFrom = dateline ? dateline.start : 0;

  const mentions = findMentions(text).filter((m) => m.start >= bodyFrom);
  const people = findPeople(text, mentions);
  const sentences = splitSentences(text).filter((s) => s.end > bodyFrom);
  const textStates = statesOfText(sentences, mentions);
  return { ctx: { text, statementDate, mentions, people, textStates, facts: [] }, sentences };
}

/** The states the text is about: those of its lead (the first sentence naming any), else all. */
function statesOfText(sentences: Sentence[], mentions: Mention[]): string[] {
  const isState = (m: Mention): boolean =>
    m.via === 'name' || m.via === 'demonym' || m.via === 'group';
  const lead = sentences.find((s) =>
    mentions.some((m) => isState(m) && m.start >= s.start && m.end <= s.end),
  );
  const stateCodes = mentions
    .filter((m) => isState(m) && (!lead || (m.start >= lead.start && m.end <= lead.end)))
    .flatMap((m) => m.codes);
  let textStates = [...new Set(stateCodes)];
  if (textStates.length === 0) {
    textStates = [
      ...new Set(mentions.filter((m) => m.via === 'organisation').flatMap((m) => m.codes)),
    ];
  }
  return textStates;
}
