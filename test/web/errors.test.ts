import { describe, expect, it } from 'vitest';
import { ApiError, describeError } from '../../web/src/api.js';

const problem = (detail: string) => ({
  type: 'about:blank',
  title: 'Forbidden',
  status: 403,
  detail,
});

describe('the dashboard says why it was refused', () => {
  it('names the auditor role for the audits and the recorder role for writes', () => {
    expect(
      describeError(
        new ApiError(
          403,
          problem('The key alice has the role reader; the whole-log audits need auditor.'),
        ),
      ),
    ).toBe('Verify and replay need an auditor key; yours may not run them.');
    expect(
      describeError(
        new ApiError(403, problem('The key alice has the role reader; writing needs recorder.')),
      ),
    ).toBe('Your API key may only read; recording needs a recorder key.');
  });
});
