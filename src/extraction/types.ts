/** The extraction request and result: the contract of `POST /extractions` (issue 17). */
import { z } from 'zod';
import { IsoDate, Source, type Kind, type RecordCommitmentBody } from '../domain/index.js';

/** Longest text accepted: about fifty pages, far above any statement or report. */
export const MAX_TEXT_CHARS = 200_000;

export const ExtractionRequest = z
  .strictObject({
    text: z
      .string()
      .max(MAX_TEXT_CHARS, `must be at most ${MAX_TEXT_CHARS} characters`)
      .refine((s) => s.trim().length > 0, 'must not be empty'),
    source: Source,
    statementDate: IsoDate.optional(),
    language: z.literal('en').optional(),
  })
  .meta({ id: 'ExtractionRequest' });
export type ExtractionRequest = z.input<typeof ExtractionRequest>;

export interface CandidateMetric {
  name: string;
  unit: string;
  baseline?: { value: number; asOf: IsoDate };
  target: number;
}

export interface CandidateDue {
  /** The phrase as the text gives it. */
  text: string;
  edtf: string | null;
  earliest: IsoDate | null;
  latest: IsoDate | null;
  /** True when the deadline table does not know the phrase: kept, not guessed. */
  vague: boolean;
}

export interface Candidate {
  quote: string;
  start: number;
  end: number;
  kind: Kind;
  title: string;
  parties: string[];
  madeBy?: string[];
  metric?: CandidateMetric;
  due?: CandidateDue;
  confidence: number;
  reasons: string[];
  /** A complete `POST /commitments` body: accepting the candidate is one call. */
  body: RecordCommitmentBody;
}

export interface Skipped {
  quote: string;
  start: number;
  end: number;
  reason: string;
}

export interface ExtractionResult {
  statementDate: IsoDate;
  candidates: Candidate[];
  skipped: Skipped[];
}
