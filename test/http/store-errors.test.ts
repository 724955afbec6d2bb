/**
 * Store errors that no client input should reach still answer as problems, never a 500: an event
 * the store's door refuses is a 422 naming the fields it failed on.
 */
import { describe, expect, it } from 'vitest';
import { toProblem } from '../../src/http/problem.js';
import { InvalidEventError } from '../../src/store/errors.js';

describe('store errors as problems', () => {
  it('an event refused at the store door is a 422 naming its fields', () => {
    const { problem } = toProblem(
      new InvalidEventError('commitment-x', 0, [
        { path: 'data.asOf', message: 'must be a real date' },
      ]),
      { ifMatchSent: false },
    );
    expect(problem.status).toBe(422);
    expect(problem.errors?.map((e) => e.path)).toEqual(['data.asOf']);
  });
});
