// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RecordCommitmentBody } from '../../src/domain/commands.js';
import { extract } from '../../src/extraction/index.js';
import type { ExtractionResult } from '../../src/extraction/types.js';
import {
  ExtractView,
  candidateValues,
  editedBody,
  extractionBody,
  highlight,
} from '../../web/src/views/extract.js';
import { fakeFetch, type Answer } from './helpers.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** A short text written for these tests: two commitments, a past fact and an emphasis. */
const TEXT = `Samarkand, March 3 (Riverside Wire) — Uzbekistan and Tajikistan held talks on water and trade in Samarkand on Tuesday.
Bilateral trade turnover has reached $1.5 billion last year. The two sides agreed to increase bilateral trade turnover to $3 billion by 2030.
The parties also agreed to hold the next meeting of the intergovernmental commission in Dushanbe in 2027.
The ministers emphasized the importance of regional cooperation.`;

const SOURCE = { publisher: 'Riverside Wire', publishedAt: '2026-03-04' };
/** What the server's own extraction answers for TEXT. */
const RESULT: ExtractionResult = extract({ text: TEXT, source: SOURCE });

/** A field by its label, exactly, with or without "(optional)". */
const label = (name: string): RegExp =>
  new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\(optional\\))?$`);

const type = (name: string, value: string, root: HTMLElement = document.body): void => {
  fireEvent.input(within(root).getByLabelText(label(name)), { target: { value } });
};

function fillSource(): void {
  type('Text', TEXT);
  type('Publisher', SOURCE.publisher);
  type('Published on', SOURCE.publishedAt);
}

function server(commitments: (body: unknown) => Answer = () => created('id-1', 'T')) {
  return fakeFetch((url, init) => {
    if (url === '/extractions') return { status: 200, body: RESULT };
    if (url === '/commitments' && init.method === 'POST')
      return commitments(JSON.parse(String(init.body)));
    return { status: 404 };
  });
}

function created(id: string, title: string): Answer {
  return { status: 201, body: { id, title } };
}

async function extracted(): Promise<void> {
  render(<ExtractView />);
  fillSource();
  fireEvent.click(screen.getByRole('button', { name: 'Extract candidates' }));
  await screen.findByRole('heading', { name: /^Candidates \(\d+\)$/ });
  // The results' heading takes focus, so a keyboard user lands on them.
  await waitFor(() => expect(document.activeElement?.id).toBe('ex-results'));
}

const card = (n: number): HTMLElement =>
  screen.getByRole('article', { name: new RegExp(`^${n} `) });

describe('Extract view', () => {
  it('the text the tests use gives two candidates and two skipped sentences', () => {
    expect(RESULT.candidates.map((c) => c.kind)).toEqual(['target', 'meeting']);
    expect(RESULT.skipped).toHaveLength(2);
  });

  it('has the labelled fields, and checks them with ExtractionRequest before asking the server', async () => {
    const seen = server();
    render(<ExtractView />);
    for (const name of [
      'Text',
      'Publisher',
      'Published on',
      'Title',
      'Source link',
      'Statement date',
    ]) {
      expect(screen.getByLabelText(label(name))).toBeTruthy();
    }
    expect(screen.getByText('Statement date').textContent).toBe('Statement date (optional)');
    type('Published on', '2026-02-30');
    fireEvent.click(screen.getByRole('button', { name: 'Extract candidates' }));
    await screen.findByText('Please correct the fields below.');
    expect(document.getElementById('ext-text-err')?.textContent).toBeTruthy();
    expect(document.getElementById('ext-publishedOn-err')?.textContent).toBeTruthy();
    expect(seen).toHaveLength(0);
  });

  it('builds the request from the source fields, optional ones only when given', () => {
    expect(
      extractionBody({ text: 'x', publisher: 'P', publishedOn: '2026-01-02', statementDate: ' ' }),
    ).toEqual({ text: 'x', source: { publisher: 'P', publishedAt: '2026-01-02' } });
    expect(
      extractionBody({
        text: 'x',
        publisher: 'P',
        publishedOn: '2026-01-02',
        sourceTitle: 'Talks',
        sourceUrl: 'https://example.org/a',
        statementDate: '2026-01-01',
      }),
    ).toEqual({
      text: 'x',
      source: {
        publisher: 'P',
        publishedAt: '2026-01-02',
        title: 'Talks',
        url: 'https://example.org/a',
      },
      statementDate: '2026-01-01',
    });
  });

  it('posts the text, marks each quote in it and lists each candidate with its facts', async () => {
    const seen = server();
    await extracted();
    expect(seen[0]).toMatchObject({
      url: '/extractions',
      method: 'POST',
      body: { text: TEXT, source: SOURCE },
    });
    const marks = [...document.querySelectorAll('.extract-text mark')];
    expect(marks).toHaveLength(2);
    RESULT.candidates.forEach((c, i) => {
      // The mark holds exactly text.slice(start, end), after its number.
      expect(marks[i]!.textContent).toBe(`${i + 1}${TEXT.slice(c.start, c.end)}`);
    });
    // The whole text is there, marks and all.
    expect(document.querySelector('.extract-text')!.textContent).toBe(
      TEXT.slice(0, RESULT.candidates[0]!.start) +
        '1' +
        TEXT.slice(RESULT.candidates[0]!.start, RESULT.candidates[1]!.start) +
        '2' +
        TEXT.slice(RESULT.candidates[1]!.start),
    );
    const first = card(1);
    expect(within(first).getByText('Target')).toBeTruthy();
    expect(within(first).getByText('UZ, TJ')).toBeTruthy();
    expect(first.textContent).toContain('bilateral trade turnover: $3 billion');
    expect(first.textContent).toContain('from $1.5 billion');
    expect(first.textContent).toContain('“by 2030”');
    expect(first.textContent).toContain('31 Dec 2030');
    expect(within(first).getByText('90%')).toBeTruthy();
    expect(within(first).getByText('cue: agreed to')).toBeTruthy();
    expect(within(card(2)).getByText('Meeting')).toBeTruthy();
    expect(card(2).textContent).toContain('1 Jan 2027');
    for (const label of ['Accept', 'Edit', 'Reject'])
      expect(within(first).getByRole('button', { name: label })).toBeTruthy();
  });

  it('lists the skipped sentences with their reasons in a collapsible list', async () => {
    server();
    await extracted();
    const details = document.querySelector('details.skipped') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    expect(details.querySelector('summary')!.textContent).toBe('Skipped sentences (2)');
    expect(details.textContent).toContain('past fact: has reached $1.5 billion');
    expect(details.textContent).toContain('emphasis: emphasized the importance');
    expect(details.textContent).toContain('Bilateral trade turnover has reached $1.5 billion');
  });

  it('Accept records the candidate’s body as it is and links to the new commitment', async () => {
    const seen = server(() => created('uz-tj-trade', 'Increase trade'));
    await extracted();
    fireEvent.click(within(card(1)).getByRole('button', { name: 'Accept' }));
    const link = await within(card(1)).findByRole('link', { name: 'Increase trade' });
    expect(link.getAttribute('href')).toBe('/app/commitments/uz-tj-trade');
    const post = seen.find((s) => s.url === '/commitments')!;
    expect(post.method).toBe('POST');
    expect(post.body).toEqual(RESULT.candidates[0]!.body);
    expect(within(card(1)).queryByRole('button', { name: 'Accept' })).toBeNull();
    // The other candidate is untouched.
    expect(within(card(2)).getByRole('button', { name: 'Accept' })).toBeTruthy();
  });

  it('shows the server’s problem beside the field it names, in the editor', async () => {
    server(() => ({
      status: 400,
      body: {
        title: 'Invalid request',
        status: 400,
        detail: 'The deadline is not understood',
        errors: [{ path: 'due.text', message: 'is not a deadline phrase this server knows' }],
      },
    }));
    await extracted();
    fireEvent.click(within(card(2)).getByRole('button', { name: 'Accept' }));
    const err = await waitFor(() => {
      const e = document.getElementById('ex2-deadline-err');
      if (!e) throw new Error('no error beside Deadline yet');
      return e;
    });
    expect(err.textContent).toBe('is not a deadline phrase this server knows');
    const editor = screen.getByRole('form', { name: 'Edit candidate 2' });
    expect(within(editor).getByText('The deadline is not understood')).toBeTruthy();
    // The problem's summary takes focus, so it is read out; not the editor's first field.
    await waitFor(() =>
      expect(document.activeElement?.classList.contains('error-summary')).toBe(true),
    );
  });

  it('a 403 or 503 on Accept is said in the card', async () => {
    server(() => ({ status: 503, headers: { 'retry-after': '5' } }));
    await extracted();
    fireEvent.click(within(card(1)).getByRole('button', { name: 'Accept' }));
    await within(card(1)).findByText(/store is unavailable.*5 s/);
  });

  it('Edit opens the body prefilled, checks it with RecordCommitmentBody, and records the edit', async () => {
    const seen = server(() => created('edited', 'Raise trade to $3 billion'));
    await extracted();
    fireEvent.click(within(card(1)).getByRole('button', { name: 'Edit' }));
    const editor = screen.getByRole('form', { name: 'Edit candidate 1' });
    await waitFor(() => expect(document.activeElement?.id).toBe('ex1-title'));
    const c = RESULT.candidates[0]!;
    expect((within(editor).getByLabelText(label('Title')) as HTMLInputElement).value).toBe(
      c.body.title,
    );
    expect((within(editor).getByLabelText(label('Parties')) as HTMLInputElement).value).toBe(
      'UZ, TJ',
    );
    expect((within(editor).getByLabelText(label('Deadline')) as HTMLInputElement).value).toBe(
      'by 2030',
    );
    expect((within(editor).getByLabelText(label('Target')) as HTMLInputElement).value).toBe(
      '3000000000',
    );

    // The API's own schema answers as it is typed: no parties is refused, nothing is sent.
    type('Parties', '', editor);
    await within(editor).findByText(/Parties|at least|Too small/i, { selector: '.field-error' });
    fireEvent.click(within(editor).getByRole('button', { name: 'Accept as edited' }));
    expect(seen.filter((s) => s.url === '/commitments')).toHaveLength(0);

    type('Parties', 'UZ, TJ, KZ', editor);
    type('Title', 'Raise trade to $3 billion', editor);
    fireEvent.click(within(editor).getByRole('button', { name: 'Accept as edited' }));
    await within(card(1)).findByRole('link', { name: 'Raise trade to $3 billion' });
    const post = seen.find((s) => s.url === '/commitments')!;
    expect(post.body).toEqual({
      ...c.body,
      title: 'Raise trade to $3 billion',
      parties: ['UZ', 'TJ', 'KZ'],
    });
  });

  it('Reject hides the candidate and its mark; they can be shown again', async () => {
    server();
    await extracted();
    fireEvent.click(within(card(1)).getByRole('button', { name: 'Reject' }));
    await screen.findByRole('heading', { name: 'Candidates (1)' });
    expect(screen.queryByRole('article', { name: /^1 / })).toBeNull();
    expect(document.querySelectorAll('.extract-text mark')).toHaveLength(1);
    expect(document.getElementById('ex-q-1')).toBeNull();
    expect(document.getElementById('ex-q-2')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Show rejected again' }));
    await screen.findByRole('heading', { name: 'Candidates (2)' });
    expect(document.querySelectorAll('.extract-text mark')).toHaveLength(2);
  });

  it('shows a 400 from the server beside the field it names, and a 503 as the other views do', async () => {
    let answer: Answer = {
      status: 400,
      body: {
        status: 400,
        title: 'Invalid request',
        errors: [{ path: 'source.publishedAt', message: 'must not be in the future' }],
      },
    };
    fakeFetch(() => answer);
    render(<ExtractView />);
    fillSource();
    fireEvent.click(screen.getByRole('button', { name: 'Extract candidates' }));
    await waitFor(() =>
      expect(document.getElementById('ext-publishedOn-err')?.textContent).toBe(
        'must not be in the future',
      ),
    );
    answer = { status: 503, headers: { 'retry-after': '7' } };
    fireEvent.click(screen.getByRole('button', { name: 'Extract candidates' }));
    await screen.findByText(/store is unavailable.*7 s/);
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });

  it('says "Loading" while the server reads the text', async () => {
    let release: (() => void) | undefined;
    vi.stubGlobal(
      'fetch',
      () =>
        new Promise<Response>((resolve) => {
          release = () =>
            resolve(
              new Response(JSON.stringify(RESULT), {
                status: 200,
                headers: { 'content-type': 'application/json' },
              }),
            );
        }),
    );
    render(<ExtractView />);
    fillSource();
    fireEvent.click(screen.getByRole('button', { name: 'Extract candidates' }));
    await screen.findByText('Loading candidates…');
    release!();
    await screen.findByRole('heading', { name: 'Candidates (2)' });
    expect(screen.queryByText('Loading candidates…')).toBeNull();
  });
});

describe('the editor’s body', () => {
  it('gives back the candidate’s body exactly when nothing is changed', () => {
    for (const c of RESULT.candidates) {
      expect(editedBody(candidateValues(c.body), c.body)).toEqual(c.body);
      expect(
        RecordCommitmentBody.safeParse(editedBody(candidateValues(c.body), c.body)).success,
      ).toBe(true);
    }
  });

  it('keeps an EDTF or vague deadline unless its phrase is changed', () => {
    const base = RESULT.candidates[1]!.body;
    const edtf = { ...base, due: { edtf: '2026/2027' } };
    expect(editedBody(candidateValues(edtf), edtf).due).toEqual({ edtf: '2026/2027' });
    const vague = { ...base, due: { text: 'in the coming years', vague: true } };
    expect(editedBody(candidateValues(vague), vague).due).toEqual(vague.due);
    expect(editedBody({ ...candidateValues(vague), deadline: 'by 2028' }, vague).due).toEqual({
      text: 'by 2028',
    });
  });
});

describe('highlight', () => {
  it('marks each span once, numbered, and clips an overlap', () => {
    render(
      <p data-testid="t">
        {highlight('abcdefghij', [
          { start: 5, end: 8, n: 2 },
          { start: 1, end: 6, n: 1 },
        ])}
      </p>,
    );
    const p = screen.getByTestId('t');
    const marks = [...p.querySelectorAll('mark')].map((m) => m.textContent);
    expect(marks).toEqual(['1bcdef', '2gh']);
    expect(p.textContent).toBe('a1bcdef2ghij');
  });
});
