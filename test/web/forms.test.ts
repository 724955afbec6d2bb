import { describe, expect, it } from 'vitest';
import { RecordCommitmentBody } from '../../src/domain/commands.js';
import { zodErrors } from '../../web/src/forms.js';

const body = {
  id: 'council-2026',
  title: 'Hold the first Council of Regional Heads',
  kind: 'meeting',
  parties: ['UZ', 'KZ'],
  statement: { quote: 'will be held in Kazakhstan in 2026', madeAt: '2025-11-15' },
  source: { publisher: 'Xinhua', publishedAt: '2025-11-15' },
};

describe('the form checks a body as the server words it', () => {
  it('a valid body has no errors', () => {
    expect(zodErrors(RecordCommitmentBody, body)).toEqual([]);
  });

  it('a missing field "is required" and an unknown one is an "unknown field", as in a 400', () => {
    const { title: _title, ...untitled } = body;
    expect(zodErrors(RecordCommitmentBody, { ...untitled, colour: 'red' })).toEqual(
      expect.arrayContaining([
        { path: 'title', message: 'is required' },
        { path: 'colour', message: 'unknown field' },
      ]),
    );
  });

  it('paths name array items as the server does: parties[1]', () => {
    const errors = zodErrors(RecordCommitmentBody, { ...body, parties: ['UZ', 7] });
    expect(errors.map((e) => e.path)).toContain('parties[1]');
  });
});
