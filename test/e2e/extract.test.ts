/**
 * The Extract view in a real browser (issue 17's dashboard part): paste a short report written for
 * this test (test/e2e/fixtures/extract-talks.txt: two commitments), extract, accept one and find
 * it in the Commitments list; reject the other. An axe-core scan of the view with its results, at
 * 1280 and 360 px, and screenshots to .tmp/screenshots/ with the other views'.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ROOT,
  SCREENSHOTS,
  launchBrowser,
  pageWatch,
  skipReason,
  startBuiltServer,
  type ServerProcess,
} from './helpers.js';

const reason = skipReason();
if (reason) console.log(`[e2e] extract skipped: ${reason}`);

const TEXT = fs.readFileSync(
  path.join(ROOT, 'test', 'e2e', 'fixtures', 'extract-talks.txt'),
  'utf8',
);
const TARGET_QUOTE =
  'The two sides agreed to increase bilateral trade turnover to $3 billion by 2030.';
const MEETING_QUOTE =
  'The parties also agreed to hold the next meeting of the intergovernmental commission in Dushanbe in 2027.';

describe.skipIf(reason !== null)('Extract view in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  const { foreign, pageErrors, watch } = pageWatch();

  beforeAll(async () => {
    server = await startBuiltServer({
      seed: [path.join(ROOT, 'examples', 'uz-kz-2025-11-15.ndjson')],
    });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    watch(page, server.url);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const at = (p: string): string => `${server.url}${p}`;

  /** The view at `p`'s address, with the fixture extracted. */
  async function extractOn(p: Page): Promise<void> {
    await p.goto(at('/app/extract'));
    await p.getByLabel('Text', { exact: true }).fill(TEXT);
    await p.getByLabel('Publisher', { exact: true }).fill('Riverside Wire');
    await p.getByLabel('Published on', { exact: true }).fill('2026-03-04');
    await p.getByRole('button', { name: 'Extract candidates' }).click();
    await p.getByRole('heading', { name: 'Candidates (2)' }).waitFor();
  }

  it('is reached from the navigation by keyboard, at /app/extract', async () => {
    await page.goto(at('/app/'));
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Extract', exact: true }).count()).resolves.toBe(1);
    await nav.getByRole('link', { name: 'Record', exact: true }).focus();
    await page.keyboard.press('Tab');
    await expect(page.evaluate('document.activeElement.textContent')).resolves.toBe('Extract');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/app\/extract$/);
    await page.locator('h1:focus').waitFor();
    await expect(page.locator('h1:focus').textContent()).resolves.toBe(
      'Extract commitments from a text',
    );
  });

  it('extracts two candidates, each quote marked in the text, and lists the skipped sentences', async () => {
    await extractOn(page);
    const marks = page.locator('.extract-text mark');
    await expect(marks.count()).resolves.toBe(2);
    await expect(marks.nth(0).textContent()).resolves.toBe(`1${TARGET_QUOTE}`);
    await expect(marks.nth(1).textContent()).resolves.toBe(`2${MEETING_QUOTE}`);
    const first = page.getByRole('article', { name: /^1 / });
    await expect(first.getByText('UZ, TJ', { exact: true }).count()).resolves.toBe(1);
    await expect(first.getByText('cue: agreed to').count()).resolves.toBe(1);
    await page.getByText('Skipped sentences (2)').click();
    await expect(page.getByText('past fact: has reached $1.5 billion').isVisible()).resolves.toBe(
      true,
    );
  });

  it('accepts one with the keyboard and finds it in the Commitments list; rejects the other', async () => {
    const first = page.getByRole('article', { name: /^1 / });
    const title = (await first.getByRole('heading', { level: 3 }).textContent())!.replace(
      /^1\s*/,
      '',
    );
    expect(title).toContain('$3 billion');
    await first.getByRole('button', { name: 'Accept', exact: true }).focus();
    await page.keyboard.press('Enter');
    const link = first.getByRole('link', { name: title });
    await link.waitFor();
    const created = (await link.getAttribute('href'))!;
    expect(created).toMatch(/^\/app\/commitments\/[^/]+$/);

    const second = page.getByRole('article', { name: /^2 / });
    await second.getByRole('button', { name: 'Reject' }).click();
    await page.getByRole('heading', { name: 'Candidates (1)' }).waitFor();
    await expect(page.locator('.extract-text mark').count()).resolves.toBe(1);

    // Only the accepted one was recorded: one new commitment beside the example data.
    await page.goto(at(`/app/commitments?q=${encodeURIComponent('turnover to $3 billion')}`));
    const table = page.getByRole('table', { name: 'Commitments' });
    const row = table.getByRole('link', { name: title });
    await row.waitFor();
    await expect(table.locator('tbody tr').count()).resolves.toBe(1);
    await expect(row.getAttribute('href')).resolves.toBe(created);
    const meetings = await fetch(at(`/commitments?q=Dushanbe`));
    expect(((await meetings.json()) as { items: unknown[] }).items).toHaveLength(0);
    await row.click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await expect(page.getByText(TARGET_QUOTE).count()).resolves.toBeGreaterThan(0);
  });

  it('has no serious or critical axe-core violation, fits 360 px, and is pictured', async () => {
    const problems: string[] = [];
    for (const width of [1280, 360]) {
      const ctx = await browser.newContext({ viewport: { width, height: 900 } });
      const p = await ctx.newPage();
      watch(p, server.url);
      await extractOn(p);
      // Everything the view can show at once: the skipped list open and an editor open.
      await p.getByText('Skipped sentences (2)').click();
      await p.getByRole('article', { name: /^2 / }).getByRole('button', { name: 'Edit' }).click();
      await p.getByRole('form', { name: 'Edit candidate 2' }).waitFor();
      const result = await new AxeBuilder({ page: p })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
        .analyze();
      for (const v of result.violations) {
        if (v.impact === 'serious' || v.impact === 'critical') {
          problems.push(
            `extract@${width}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
          );
        }
      }
      if (width === 360) {
        const scroll = (await p.evaluate('document.documentElement.scrollWidth')) as number;
        if (scroll > 360) problems.push(`extract@360: the page is ${scroll} px wide`);
      }
      await p.screenshot({
        path: path.join(SCREENSHOTS, width === 360 ? 'extract-360.png' : 'extract.png'),
        fullPage: true,
      });
      await ctx.close();
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('asked no other host for anything and threw no script error', () => {
    expect(foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
