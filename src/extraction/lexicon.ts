/**
 * Cue lexicons: the words that make a clause an undertaking, and the words that mark a sentence
 * as an emphasis, a discussion, a hope or a hedge (looked like a commitment, is not one).
 */
import type { Kind } from '../domain/index.js';

export interface CueRule {
  re: RegExp;
  /** The kind the cue itself says, if any; otherwise the clause decides (metric, meeting words). */
  kind?: Kind;
  /** Confidence the cue alone gives, 0..1. Readiness, hopes of others and hedges are low. */
  confidence: number;
  /** Weak cues (readiness, expectation, calls, hedges) name the hedge in the reasons. */
  weak?: boolean;
  /** The cue stands only when this matches the sentence before it (reported speech for "would"). */
  after?: RegExp;
}

/** Past participles after "will be" that make a future passive undertaking ("will be adopted"). */
const PARTICIPLE = String.raw`(?:\w+ed|held|built|set up|set|made|signed|given|drawn up|taken|undertaken|sent|opened|laid|won|put|begun|sold|spent|paid)`;
/** Verbs after "will" that describe, not undertake ("will mark a new milestone", "will last through"). */
const NOT_UNDERTAKING = String.raw`(?:mark|last|remain|become|serve|result|be(?! ${PARTICIPLE}\b)|help|contribute|allow|enable|see|bring about|mean)`;

export const UNDERTAKING_CUES: CueRule[] = [
  {
    re: /\b(?:an? )?agreements? (?:was|were|has been|have been) reached (?:to|on)\b/gi,
    kind: 'agreement',
    confidence: 0.85,
  },
  {
    re: /\b(?:have |has )?agreed (?:to|on|that)\b|\bagree to\b/gi,
    kind: 'agreement',
    confidence: 0.8,
  },
  {
    re: /\bdecisions?\b[^.;]{0,200}?\b(?:was|were|has been|have been) (?:also )?(?:approved|adopted|taken)\b/gi,
    kind: 'agreement',
    confidence: 0.8,
  },
  {
    re: /\b(?:adopt(?:s|ed)?|adoption of|approve[sd]?|approval of|sign(?:s|ed)?|signing of)\s+(?:the\s+|a\s+|an\s+)?(?:[\p{L}’'-]+\s+){0,6}?(?:program(?:me)?|plan|roadmap|road map|strategy|concept|initiative|agreements?|treaty|memorandum)\b/giu,
    kind: 'agreement',
    confidence: 0.75,
  },
  { re: /\bscheduled (?:for|to)\b|\bto be held\b/gi, kind: 'meeting', confidence: 0.8 },
  {
    re: /\b(?:will|shall) be (?:adopted|signed|approved|concluded|ratified)\b/gi,
    kind: 'agreement',
    confidence: 0.8,
  },
  {
    re: new RegExp(
      String.raw`\b(?:will|shall)\s+(?:also\s+|further\s+|jointly\s+|continue\s+to\s+)*(?!${NOT_UNDERTAKING}\b)(?:be\s+${PARTICIPLE}|[a-z]+)\b`,
      'gi',
    ),
    confidence: 0.8,
  },
  {
    // Reported future: "Putin said Russia would supply …".
    re: new RegExp(
      String.raw`\bwould\s+(?:also\s+|further\s+|jointly\s+|continue\s+to\s+)*(?!${NOT_UNDERTAKING}\b|like\b|have\b)(?:be\s+${PARTICIPLE}|[a-z]+)\b`,
      'gi',
    ),
    confidence: 0.7,
    after: /\b(?:said|announced|stated|declared|confirmed|pledged|promised|agreed|told)\b/i,
  },
  {
    re: /\b(?:I |we )?propos(?:e|es|ed) to\b|\b(?:it|this) (?:has been|was|is) proposed\b|(?:has|have) been proposed\b|\bproposes\b|\bput forward (?:a |an |the )?(?:proposal|initiative)\b/gi,
    kind: 'proposal',
    confidence: 0.75,
  },
  { re: /\bcall(?:ed|s)? for\b|\burged\b/gi, kind: 'proposal', confidence: 0.45, weak: true },
  {
    re: /\bthe (?:goal|aim|target|objective|task) is to\b|\b(?:set|sets|setting) (?:a |the )?(?:new )?(?:goal|target) of\b|\baims? to\b|\bintends? to\b|\b(?:expressed|announced|declared|confirmed) (?:the |an |their |his |her |its )?intention to\b|\bplans? to\b/gi,
    confidence: 0.8,
  },
  {
    re: /\bpledg(?:e|es|ed|ing)\b|\bvow(?:s|ed)? to\b|\bundert(?:ake|akes|ook) to\b|\bcommit(?:s|ted)? (?:themselves |itself )?to\b/gi,
    confidence: 0.6,
  },
  {
    re: /\b(?:project portfolio|portfolio of projects|projects?)\b[^.;]{0,80}?\b(?:has|have) been (?:prepared|formed|drawn up|approved)\b/gi,
    kind: 'project',
    confidence: 0.75,
  },
  {
    re: /\b(?:is|are|am|was|were) (?:also )?(?:ready|prepared) to\b|\breadiness to\b/gi,
    confidence: 0.45,
    weak: true,
  },
  { re: /\b(?:is|are) (?:also )?expected to\b/gi, confidence: 0.4, weak: true },
  {
    re: /\b(?:can|could)\s+(?:\w+\s+)?(?:increase|achieve|reach|bring|raise|expand|double|triple|boost)\b/gi,
    confidence: 0.35,
    weak: true,
  },
  // "The importance of further expanding X was noted": an emphasis on carrying on something the
  // parties already do together, which trackers record (issue 17's fifth Xinhua commitment).
  {
    re: /\bimportance of (?:further|continuing|continued)\s+\w+ing\b/gi,
    kind: 'other',
    confidence: 0.5,
  },
];

/** A hedge "can/could" cue stands only with an amount; alone it is a skipped hedge. */
export const HEDGE_RE = /\b(?:can|could|may|might)\s+\w+/i;

/** Weakening words that make an undertaking cue inside them someone's view, not an undertaking. */
export const EMPHASIS_THAT_RE =
  /\b(?:emphasi[sz]ed|stressed|underlined|noted|highlighted|hoped?|hopes|believes?|believed|expressed (?:hope|confidence|the hope))\s+that\b/gi;

export interface SkipRule {
  re: RegExp;
  label: 'emphasis' | 'discussion' | 'hope';
}

export const SKIP_CUES: SkipRule[] = [
  { re: /\bemphasi[sz](?:ed|es|ing) (?:the (?:importance|need)|that)\b/gi, label: 'emphasis' },
  {
    re: /\b(?:stressed|underlined|highlighted|underscored)(?: the (?:importance|need))?\b|\bhighlighting the importance\b/gi,
    label: 'emphasis',
  },
  {
    re: /\bimportance of\b[^.;]{0,160}?\b(?:was|were) (?:noted|emphasi[sz]ed|stressed|underlined)\b/gi,
    label: 'emphasis',
  },
  {
    re: /\b(?:was|were) (?:particularly |also )?(?:emphasi[sz]ed|noted|stressed|underlined)\b/gi,
    label: 'emphasis',
  },
  { re: /\bit is (?:important|necessary|essential) to\b/gi, label: 'emphasis' },
  { re: /\b(?:special |particular )?attention was (?:paid|given) to\b/gi, label: 'emphasis' },
  { re: /\breaffirm(?:s|ed)? (?:their|its|his|her|our) commitment\b/gi, label: 'emphasis' },
  { re: /\bconsiders? it (?:necessary|important)\b/gi, label: 'emphasis' },
  { re: /\badvocate[sd]?\b/gi, label: 'emphasis' },
  { re: /\b(?:noted|noting) that\b/gi, label: 'emphasis' },
  {
    re: /\bexchanged views\b|\b(?:was|were) (?:thoroughly |also )?discussed\b|\bdiscussed\b/gi,
    label: 'discussion',
  },
  {
    re: /\b(?:I |we )?hopes? that\b|\bexpressed (?:hope|confidence)\b|\bwishing\b/gi,
    label: 'hope',
  },
];

/** Verb phrases that report what has happened: the reason a figure is a past fact. */
export const PAST_VERB_RE =
  /\b(?:(?:has|have|had)\s+(?:been\s+)?(?:\w+ed|grown|risen|built|made|set up|signed|held|drawn up)|reached|grew|amounted|totall?ed|exceeded|rose|increased|fell|established|stood at|are growing|is growing)\b/gi;

/** Words in a clause that make it a meeting: a meeting noun governed by hold/host/convene. */
export const MEETING_RE =
  /\b(?:hold|holds|host|hosts|convene|convenes|organi[sz]e|holding|hosting)\b[^.;]{0,80}?\b(?:meeting|summit|council|forum|session|conference|consultations?|talks)\b|\bscheduled (?:for|to)\b|\bto be held\b|\btake part in\b[^.;]{0,40}\bsummit\b/i;

/** Document titles at the head of a list item ("Agreement between …", "Decision of … on …"). */
export const DOCUMENT_TITLE_RE =
  /^(?:Decision|Agreement|Memorandum|Protocol|Treaty|Roadmap|Road map|Plan|Joint [Pp]lan|(?:[A-Z]\w+ )?[Pp]rogram(?:me)?)\b[^.;]{0,120}?\b(?:of|between|on|for)\b/;

/** "The parties", "the two sides", "both leaders": the states the text is about. */
export const COLLECTIVE_RE =
  /\b(?:the (?:two |both )?(?:parties|sides|leaders|presidents|heads of state|countries|states|governments)|the leaders of the two|both (?:sides|leaders|countries|parties)|the member states|an agreement (?:was|has been) reached|they|we)\b/i;
