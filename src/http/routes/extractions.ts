/**
 * Extraction (issue 17): candidate commitments from a statement or report, for a person to
 * accept. A read of the text, not of the store: nothing is written. docs/extraction.md.
 */
import { extract } from '../../extraction/extract.js';
import { ExtractionRequest, ExtractionResponse } from '../../extraction/types.js';
import { defineRoute } from './route.js';

export const extractionRoutes = [
  defineRoute({
    method: 'post',
    path: '/extractions',
    operationId: 'extractCommitments',
    summary: 'Candidate commitments from a text (writes nothing)',
    description:
      'Reads a statement or report and returns candidate commitments, each with a complete `POST /commitments` ' +
      'body, and the sentences skipped with their reasons. See docs/extraction.md.',
    access: 'write',
    tag: 'writes',
    body: ExtractionRequest,
    ok: { status: 200, description: 'Candidates', schema: ExtractionResponse },
    errors: [400, 413, 415],
    handle({ body, res }) {
      res.json(extract(body));
    },
  }),
];
