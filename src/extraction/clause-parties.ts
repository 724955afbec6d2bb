/**
 * Whose commitment a clause is: its parties, in the order of method step 7 (a meeting's group,
 * the clause's subject, the sentence's, a list lead-in's, the speaker's, the actor's, the text's
 * states), and the person who made it (`madeBy`).
 */
import type { Kind } from '../domain/index.js';
import type { Clause, Ctx, LeadIn } from './context.js';
import type { Person } from './parties.js';
import type { Span } from './sentences.js';
import type { Speaker } from './speakers.js';
import { subjectStates } from './subjects.js';

/** What the choice of parties looks at, besides the context. */
export interface PartiesEvidence {
  clause: Clause;
  kind: Kind;
  /** The span of the candidate's quote. */
  span: Span;
  /** Where the clause's subject starts (after any "X announced that"). */
  subjectStart: number;
  /** The subject of the clause before it in the same sentence. */
  previousSubject: string[] | null;
  leadIn: LeadIn | null;
  speaker: Speaker | null;
  /** The actor of the sentences before (an impersonal "… have been proposed" refers to). */
  actor: string[] | null;
}

/**
 * The parties (as found: the caller normalises them), why, and the clause's subject (passed on
 * to the next clause of the sentence).
 */
export function partiesOf(
  ctx: Ctx,
  e: PartiesEvidence,
): { parties: string[]; why: string; subject: string[] | null } {
  const { text } = ctx;
  const cueStart = e.clause.cue.start;
  const subject = subjectStates(ctx, e.subjectStart, cueStart, true);
  const groups = ctx.mentions.filter(
    (m) => m.via === 'group' && m.start >= e.span.start && m.end <= e.span.end,
  );
  if (e.kind === 'meeting' && groups.length > 0) {
    const why = `the meeting's group: ${text.slice(groups[0]?.start ?? 0, groups[0]?.end ?? 0)}`;
    return { parties: [...new Set(groups.flatMap((g) => g.codes))], why, subject };
  }
  if (e.kind === 'meeting' && !/^(?:I|we)\b/i.test(text.slice(e.subjectStart, cueStart).trim())) {
    return { parties: ctx.textStates, why: 'a meeting of the states the text is about', subject };
  }
  if (subject) return { parties: subject, why: 'the subject of the clause', subject };
  if (e.clause.index > 0 && e.previousSubject) {
    const previous = e.previousSubject;
    return { parties: previous, why: 'the subject of the sentence', subject: previous };
  }
  if (e.leadIn?.parties) return { parties: e.leadIn.parties, why: 'the list lead-in', subject };
  if (e.speaker && e.speaker.codes.length > 0) {
    const why = e.speaker.collective
      ? 'the joint statement'
      : `the speaker, ${e.speaker.person?.name ?? ''}`;
    return { parties: e.speaker.codes, why, subject };
  }
  if (e.actor && e.kind !== 'agreement') {
    return { parties: e.actor, why: 'the actor of the sentences before', subject };
  }
  return { parties: ctx.textStates, why: 'the states the text is about', subject };
}

/**
 * Who made it: the titled person in the clause's subject, else the person named for it (an
 * announcer or the speaker) of a single party, else the named leader of every party.
 */
export function madeByOf(
  ctx: Ctx,
  parties: string[],
  named: Person | undefined,
  subject: Span,
): string[] | undefined {
  const subjectPerson = ctx.people.find((p) =>
    p.tokens.some((t) => ctx.text.slice(subject.start, subject.end).includes(t)),
  );
  if (subjectPerson && parties.includes(subjectPerson.code)) return [subjectPerson.name];
  if (named && parties.includes(named.code) && parties.length === 1) return [named.name];
  if (parties.length > 1) {
    const leaders = parties.map((code) => ctx.people.find((p) => p.leader && p.code === code));
    if (leaders.every((l) => l !== undefined)) return leaders.map((l) => (l as Person).name);
  }
  return undefined;
}
