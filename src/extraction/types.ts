/** The extraction request and result: the contract of `POST /extractions` (issue 17). */
import { z } from 'zod';
import { IsoDate, Kind, RecordCommitmentBody, Source } from '../domain/index.js';

/**
 * Longest text accepted: about a dozen pages, above any statement or news report. Extraction runs
 * on the request's thread, so this bound is also the bound on one request's work.
 */
export const MAX_TEXT_CHARS = 50_000;

export const ExtractionRequest = z
  .strictObject({
    text: z
      .string()
      .max(MAX_TEXT_CHARS, { message: `must be at most ${MAX_TEXT_CHARS} characters`, abort: true })
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

/** The response of `POST /extractions`, for the OpenAPI document. */
const CandidateSchema = z
  .object({
    quote: z.string().meta({ description: 'exactly text.slice(start, end)' }),
    start: z.number().int(),
    end: z.number().int(),
    kind: Kind,
    title: z.string(),
    parties: z.array(z.string()),
    madeBy: z.array(z.string()).optional(),
    metric: z
      .object({
        name: z.string(),
        unit: z.string(),
        baseline: z.object({ value: z.number(), asOf: IsoDate }).optional(),
        target: z.number(),
      })
      .optional(),
    due: z
      .object({
        text: z.string(),
        edtf: z.string().nullable(),
        earliest: IsoDate.nullable(),
        latest: IsoDate.nullable(),
        vague: z.boolean(),
      })
      .optional(),
    confidence: z.number().min(0).max(1),
    reasons: z.array(z.string()),
    body: RecordCommitmentBody,
  })
  .meta({ id: 'ExtractionCandidate' });

export const ExtractionResponse = z
  .object({
    statementDate: IsoDate,
    candidates: z.array(CandidateSchema),
    skipped: z.array(
      z.object({
        quote: z.string(),
        start: z.number().int(),
        end: z.number().int(),
        reason: z.string(),
      }),
    ),
  })
  .meta({ id: 'ExtractionResult' });
