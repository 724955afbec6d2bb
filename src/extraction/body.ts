/** A candidate's `POST /commitments` body, checked against the domain's own schema. */
import { RecordCommitmentBody, type IsoDate, type Kind } from '../domain/index.js';
import type { ExtractInput } from './context.js';
import type { FoundDeadline } from './deadlines.js';
import type { CandidateMetric } from './types.js';

export interface BodyParts {
  title: string;
  kind: Kind;
  parties: string[];
  quote: string;
  madeBy?: string[];
  metric?: CandidateMetric;
  due?: FoundDeadline;
}

/**
 * The `POST /commitments` body. A vague deadline goes in as `{text, vague: true}` when the
 * schema knows vague deadlines (issue 15), otherwise it is left out and the reasons say so.
 */
export function makeBody(
  input: ExtractInput,
  statementDate: IsoDate,
  p: BodyParts,
  reasons: string[],
): RecordCommitmentBody | null {
  const statement: Record<string, unknown> = {
    quote: p.quote,
    madeAt: statementDate,
    language: input.language ?? 'en',
  };
  if (p.madeBy) statement.madeBy = p.madeBy;
  const base: Record<string, unknown> = {
    title: p.title,
    kind: p.kind,
    parties: p.parties,
    statement,
    source: input.source,
  };
  if (p.metric) base.metric = p.metric;
  const dues: unknown[] = [];
  if (p.due?.input) dues.push(p.due.input);
  else if (p.due) dues.push({ text: p.due.text, vague: true });
  for (const due of dues) {
    const parsed = RecordCommitmentBody.safeParse({ ...base, due });
    if (parsed.success) return parsed.data;
  }
  if (p.due)
    reasons.push(
      `deadline left out of the body: "${p.due.text}" is not accepted as a deadline yet`,
    );
  const parsed = RecordCommitmentBody.safeParse(base);
  return parsed.success ? parsed.data : null;
}
