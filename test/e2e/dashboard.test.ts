/**
 * The dashboard in a real browser: the built app served by the built server. Walks the issue's
 * story (record through the form, find it, open it, report progress, the agenda as of a date,
 * "As known on" back in time, an audit), scans every view with axe-core, and writes a screenshot
 * of each view (desktop and 360 px wide) to .tmp/screenshots/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ROOT,
  SCREENSHOTS,
  dayOffset,
  launchBrowser,
  pageWatch,
  skipReason,
  startBuiltServer,
  type ServerProcess,
} from './helpers.js';

const reason = skipReason();
if (reason) console.log(`[e2e] skipped: ${reason}`);

const TITLE = 'Build three solar parks along the Syr Darya';

describe.skipIf(reason !== null)('dashboard in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const { foreign, pageErrors, watch } = pageWatch();
  let beforeRecord = '';

  beforeAll(async () => {
    server = await startBuiltServer({
      seed: [path.join(ROOT, 'examples', 'uz-kz-2025-11-15.ndjson')],
    });
    // A reported value, so the trade commitment's chart has a line to draw.
    const progress = await fetch(`${server.url}/commitments/uz-kz-trade-10b/progress`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ asOf: dayOffset(-1), value: 5_200_000_000, note: 'latest figure' }),
    });
    expect(progress.status).toBe(201);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    watch(page, server.url);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const at = (p: string): string => `${server.url}${p}`;
  const h1 = (): ReturnType<Page['getByRole']> => page.getByRole('heading', { level: 1 });

  async function api<T>(p: string): Promise<T> {
    const res = await fetch(at(p));
    return (await res.json()) as T;
  }

  it('sends a browser from / to the overview at /app/, with a nav landmark naming every view', async () => {
    await page.goto(at('/'));
    expect(new URL(page.url()).pathname).toBe('/app/');
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const name of ['Overview', 'Commitments', 'Agenda', 'Record', 'Audit']) {
      await expect(nav.getByRole('link', { name, exact: true }).count()).resolves.toBe(1);
    }
    await expect(h1().textContent()).resolves.toBe('Overview');
  });

  it('records a commitment through the form, checking fields as they are typed', async () => {
    await page.goto(at('/app/record'));
    const form = page.getByRole('form', { name: 'Record a commitment' });
    await form.getByLabel('Title').fill(TITLE);
    // The API's own schema answers while typing: a bad link is named beside its field.
    await form.getByLabel('Source link').fill('not a link');
    await expect(form.getByText('must be an http(s) URL').isVisible()).resolves.toBe(true);
    await form.getByLabel('Source link').fill('https://example.org/solar');
    await expect(form.getByText('must be an http(s) URL').count()).resolves.toBe(0);

    await form.getByLabel('Kind').selectOption('project');
    await form.getByLabel('Parties').fill('UZ, KZ');
    await form
      .getByLabel('Quote')
      .fill('We will build three solar parks along the Syr Darya by 2031.');
    await form.getByLabel('Said on').fill(dayOffset(-20));
    await form.getByLabel('Said by').fill('Minister of Energy');
    await form.getByLabel('Publisher').fill('Kun.uz');
    await form.getByLabel('Published on').fill(dayOffset(-19));
    await form.getByLabel('Metric name').fill('parks built');
    await form.getByLabel('Unit').fill('parks');
    await form.getByLabel('Baseline').fill('0');
    await form.getByLabel('Target').fill('3');
    await form.getByLabel('Tags').fill('energy, e2e');
    // A phrase only the server can judge: its problem detail comes back beside "Deadline".
    await form.getByLabel('Deadline').fill('when the river allows');
    await form.getByRole('button', { name: 'Record commitment' }).click();
    const deadlineError = page.locator('#rec-deadline-err');
    await deadlineError.waitFor();
    expect((await deadlineError.textContent())?.length).toBeGreaterThan(5);
    await expect(page.getByRole('alert').first().isVisible()).resolves.toBe(true);

    await form.getByLabel('Deadline').fill('by 2031');
    await form.getByRole('button', { name: 'Record commitment' }).click();
    await page.waitForURL(/\/app\/commitments\/[a-z0-9-]+$/);
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  });

  it('finds it in the list, with the filters in the address, and opens it', async () => {
    await page.goto(at('/app/commitments'));
    await page.getByLabel('Search').fill('Syr Darya');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/q=Syr\+Darya/);
    const table = page.getByRole('table', { name: 'Commitments' });
    await table.getByRole('link', { name: TITLE }).waitFor();
    await expect(table.locator('tbody tr').count()).resolves.toBe(1);
    // "Download CSV" saves what is shown: a BOM, a header and the one row.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const file = await download.path();
    const csv = fs.readFileSync(file, 'utf8');
    expect(csv.startsWith('\uFEFFid,title,')).toBe(true);
    expect(csv.trim().split('\r\n')).toHaveLength(2);
    expect(csv).toContain(TITLE);
    await table.getByRole('link', { name: TITLE }).click();
    await page.waitForURL(/\/app\/commitments\/[a-z0-9-]+$/);
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await expect(page.getByText('Minister of Energy').count()).resolves.toBeGreaterThan(0);
  });

  it('reports progress from the commitment page', async () => {
    const id = new URL(page.url()).pathname.split('/').pop() as string;
    // "As known on" below works to the second: let the clock pass the second of the record.
    const first = await api<{ events: Array<{ recordedAt: string }> }>(
      `/commitments/${id}/history`,
    );
    const recorded = Date.parse(first.events[0]!.recordedAt);
    while (Math.floor(Date.now() / 1000) <= Math.floor(recorded / 1000))
      await page.waitForTimeout(100);

    await page.getByText('Report progress', { exact: true }).first().click();
    const form = page.getByRole('form', { name: 'Report progress' });
    await form.getByLabel('As of').fill(dayOffset(0));
    await form.getByLabel('Value (parks)').fill('1');
    await form.getByLabel('Note').fill('first park connected');
    await form.getByRole('button', { name: 'Report progress' }).click();
    const timeline = page.getByRole('table', { name: /^Timeline/ });
    await timeline.getByText('Progress reported: 1 parks (first park connected)').waitFor();
    const progress = page.getByRole('table', { name: 'Progress of parks built' });
    await expect(progress.getByText('first park connected').count()).resolves.toBe(1);
    const chart = page.getByRole('img', { name: 'Progress of parks built' });
    await expect(chart.count()).resolves.toBe(1);
  });

  it('shows it on the agenda as of a chosen date', async () => {
    await page.goto(at('/app/agenda'));
    await page.getByLabel('As of').fill('2031-12-15');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/asOf=2031-12-15/);
    const upcoming = page.getByRole('table', { name: 'Upcoming' });
    await upcoming.getByRole('link', { name: TITLE }).waitFor();
    const overdue = page.getByRole('table', { name: 'Overdue' });
    await overdue.locator('tbody tr').first().waitFor();
    await expect(overdue.getByRole('link', { name: TITLE }).count()).resolves.toBeGreaterThan(0);
  });

  it('moves "As known on" back and shows the earlier state', async () => {
    const page1 = await api<{ items: Array<{ id: string; title: string }> }>('/commitments?q=Syr');
    const id = page1.items[0]!.id;
    const history = await api<{ events: Array<{ recordedAt: string; type: string }> }>(
      `/commitments/${id}/history`,
    );
    expect(history.events.map((e) => e.type)).toEqual(['CommitmentRecorded', 'ProgressReported']);
    await page.goto(at(`/app/commitments/${id}`));
    await page
      .getByRole('table', { name: /^Timeline/ })
      .getByText('Progress reported')
      .waitFor();

    const recordedSecond = history.events[0]!.recordedAt.slice(0, 19);
    await page.getByLabel('As known on').fill(recordedSecond);
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.waitForURL(/knownAt=/);
    await page.getByText('Showing what was known at').waitFor();
    const timeline = page.getByRole('table', { name: /^Timeline/ });
    await timeline.locator('tbody tr').first().waitFor();
    await expect(timeline.locator('tbody tr').count()).resolves.toBe(1);
    await expect(timeline.getByText('Progress reported').count()).resolves.toBe(0);
    await expect(page.getByText('no progress reported since').count()).resolves.toBeGreaterThan(0);
    await expect(page.getByText('first park connected').count()).resolves.toBe(0);
    await expect(page.getByRole('form', { name: 'Report progress' }).count()).resolves.toBe(0);

    await page.getByRole('link', { name: 'Show the latest' }).click();
    await page
      .getByRole('table', { name: /^Timeline/ })
      .getByText('Progress reported')
      .waitFor();
  });

  it('runs an audit: verify, then a replay as known before the new commitment', async () => {
    const list = await api<{ items: Array<{ id: string }> }>('/commitments?q=Syr');
    const history = await api<{ events: Array<{ recordedAt: string }> }>(
      `/commitments/${list.items[0]!.id}/history`,
    );
    const before = new Date(Date.parse(history.events[0]!.recordedAt) - 1000)
      .toISOString()
      .slice(0, 19);
    beforeRecord = before;

    await page.goto(at('/app/audit'));
    await page.getByRole('button', { name: 'Run verify' }).click();
    await page.getByText('Verified: no problem found.').waitFor();

    await page.getByLabel('As known at', { exact: true }).fill(before);
    await page.getByRole('button', { name: 'Replay' }).click();
    const diffs = page.getByRole('table', { name: 'What differs from today' });
    await diffs.waitFor();
    const row = diffs.locator('tr', { has: page.getByRole('link', { name: TITLE }) });
    await expect(row.getByText('not yet recorded').count()).resolves.toBe(1);
  });

  it('moves between views with the keyboard alone', async () => {
    await page.goto(at('/app/commitments'));
    await page.keyboard.press('Tab');
    await expect(page.evaluate('document.activeElement.textContent')).resolves.toBe(
      'Skip to content',
    );
    let found = false;
    for (let i = 0; i < 10 && !found; i++) {
      await page.keyboard.press('Tab');
      found = (await page.evaluate('document.activeElement.textContent')) === 'Agenda';
    }
    expect(found).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/app\/agenda$/);
    // Focus moves to the new view's heading once it has rendered.
    await page.locator('h1:focus').waitFor();
    await expect(page.locator('h1:focus').textContent()).resolves.toBe('Agenda');
  });

  it('shows the overview from GET /summary (issue 14)', async () => {
    const res = await fetch(at('/summary'));
    expect(res.status).toBe(200);
    const summary = (await res.json()) as { total: number };
    await page.goto(at('/app/'));
    const byStatus = page.getByRole('table', { name: 'Commitments by status' });
    await byStatus.waitFor();
    await page.getByRole('table', { name: 'By party' }).waitFor();
    await expect(
      page.getByRole('link', { name: `${summary.total} commitments` }).count(),
    ).resolves.toBe(1);
  });

  const VIEWS: Array<[string, string]> = [
    ['overview', '/app/'],
    ['commitments', '/app/commitments'],
    ['agenda', '/app/agenda?asOf=2030-12-15'],
    ['commitment', '/app/commitments/uz-kz-trade-10b'],
    ['record', '/app/record'],
    ['audit', '/app/audit'],
  ];

  it('has no serious or critical axe-core violation on any view, and fits 360 px', async () => {
    const problems: string[] = [];
    for (const width of [1280, 360]) {
      const ctx = await browser.newContext({ viewport: { width, height: 900 } });
      const p = await ctx.newPage();
      watch(p, server.url);
      for (const [name, url] of VIEWS) {
        await p.goto(at(url));
        await p.getByRole('heading', { level: 1 }).waitFor();
        await p.locator('.loading').first().waitFor({ state: 'detached' });
        if (name === 'audit') {
          await p.getByRole('button', { name: 'Run verify' }).click();
          await p.getByText('Verified: no problem found.').waitFor();
          await p.getByLabel('As known at', { exact: true }).fill(beforeRecord);
          await p.getByRole('button', { name: 'Replay' }).click();
          await p.getByRole('table', { name: 'What differs from today' }).waitFor();
        }
        if (name === 'commitment')
          await p.getByText('Report progress', { exact: true }).first().click();
        const result = await new AxeBuilder({ page: p })
          .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
          .analyze();
        for (const v of result.violations) {
          if (v.impact === 'serious' || v.impact === 'critical') {
            problems.push(
              `${name}@${width}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
            );
          }
        }
        if (width === 360) {
          const scroll = (await p.evaluate('document.documentElement.scrollWidth')) as number;
          if (scroll > 360) problems.push(`${name}@360: the page is ${scroll} px wide`);
        }
        await p.screenshot({
          path: path.join(SCREENSHOTS, width === 360 ? `${name}-360.png` : `${name}.png`),
          fullPage: true,
        });
      }
      await ctx.close();
    }
    expect(problems).toEqual([]);
  }, 180_000);

  it('asked no other host for anything and threw no script error', () => {
    expect(foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
