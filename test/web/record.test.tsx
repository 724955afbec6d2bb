// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RecordCommitmentBody } from '../../src/domain/commands.js';
import { RECORD_FIELDS, RecordView, recordBody } from '../../web/src/views/record.js';
import { fakeFetch } from './helpers.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const type = (label: string, value: string): void => {
  fireEvent.input(screen.getByLabelText(label, { exact: false }), { target: { value } });
};

function fillValid(): void {
  type('Title', 'Raise trade to $10 billion');
  fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'target' } });
  type('Parties', 'uz, KZ');
  type('Quote', 'The goal is to increase this figure to $10 billion');
  type('Said on', '2025-11-15');
  type('Publisher', 'Xinhua');
  type('Published on', '2025-11-15');
  type('Metric name', 'trade turnover');
  type('Unit', 'USD');
  type('Baseline', '4,000,000,000');
  type('Target', '10000000000');
  type('Deadline', 'by 2030');
}

describe('Record form', () => {
  it('has the labelled fields the issue names', () => {
    render(<RecordView />);
    for (const label of [
      'Title',
      'Kind',
      'Parties',
      'Quote',
      'Said on',
      'Said by',
      'Publisher',
      'Published on',
      'Source link',
      'Deadline',
      'Metric name',
      'Unit',
      'Baseline',
      'Target',
      'Tags',
    ]) {
      expect(screen.getByLabelText(label, { exact: false })).toBeTruthy();
    }
    expect(RECORD_FIELDS).toHaveLength(15);
  });

  it('builds bodies the API schema accepts, and refuses what it refuses', () => {
    const ok = RecordCommitmentBody.safeParse(
      recordBody({
        title: 'T',
        kind: 'target',
        parties: 'UZ, KZ',
        quote: 'q',
        saidOn: '2025-11-15',
        publisher: 'P',
        publishedOn: '2025-11-15',
        metricName: 'm',
        unit: 'USD',
        baseline: '1',
        target: '2',
        tags: 'a, b',
        deadline: 'by 2030',
      }),
    );
    expect(ok.success).toBe(true);
    const bad = RecordCommitmentBody.safeParse(
      recordBody({ title: 'T', kind: 'target', parties: '', quote: 'q', saidOn: '2025-02-30' }),
    );
    expect(bad.success).toBe(false);
  });

  it('shows the schema’s word beside a field as it is typed', () => {
    render(<RecordView />);
    type('Source link', 'not a link');
    const input = screen.getByLabelText('Source link', { exact: false });
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const errId = input.getAttribute('aria-describedby')?.split(' ').pop() ?? '';
    expect(document.getElementById(errId)?.textContent).toContain('must be an http(s) URL');
    // Untouched fields say nothing yet.
    expect(screen.getByLabelText('Title').getAttribute('aria-invalid')).toBeNull();
    type('Source link', 'https://example.org/');
    expect(input.getAttribute('aria-invalid')).toBeNull();
  });

  it('does not send an invalid form, and lists its problems', async () => {
    const seen = fakeFetch(() => ({ status: 500 }));
    render(<RecordView />);
    fireEvent.click(screen.getByRole('button', { name: 'Record commitment' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Title'));
    expect(seen).toHaveLength(0);
    // The summary takes focus, and links to each field.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('alert')));
    expect(screen.getByRole('link', { name: /^Title:/ }).getAttribute('href')).toBe('#rec-title');
  });

  it('sends a valid form and shows the server’s problems beside the fields they name', async () => {
    const seen = fakeFetch(() => ({
      status: 400,
      body: {
        title: 'Invalid request',
        status: 400,
        detail: 'The request body has 1 invalid field.',
        errors: [{ path: 'due.text', message: 'is not a deadline phrase this server knows' }],
      },
    }));
    render(<RecordView />);
    fillValid();
    fireEvent.click(screen.getByRole('button', { name: 'Record commitment' }));
    await waitFor(() =>
      expect(document.getElementById('rec-deadline-err')?.textContent).toBe(
        'is not a deadline phrase this server knows',
      ),
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('POST');
    expect(seen[0]!.url).toBe('/commitments');
    const body = seen[0]!.body as Record<string, unknown>;
    expect(body.parties).toEqual(['uz', 'KZ']);
    expect(body.metric).toEqual({
      name: 'trade turnover',
      unit: 'USD',
      baseline: { value: 4_000_000_000, asOf: '2025-11-15' },
      target: 10_000_000_000,
    });
    expect(body.due).toEqual({ text: 'by 2030' });
    expect(screen.getByRole('alert').textContent).toContain('1 invalid field');
  });
});
