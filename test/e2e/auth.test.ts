/**
 * The dashboard behind API_KEYS: the page loads without a key, asks for one at the first 401, and
 * keeps it for the browser session (sessionStorage), so it asks once.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ROOT,
  launchBrowser,
  skipReason,
  startBuiltServer,
  type ServerProcess,
} from './helpers.js';

const reason = skipReason();
if (reason) console.log(`[e2e] skipped: ${reason}`);

describe.skipIf(reason !== null)('dashboard behind API_KEYS', () => {
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    server = await startBuiltServer({
      seed: [path.join(ROOT, 'examples', 'uz-kz-2025-11-15.ndjson')],
      env: { API_KEYS: 'alice:recorder:e2e-secret-key-0123456789abcdefghij' },
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('asks for the key once and sends it from then on', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const unauthorized: string[] = [];
    page.on('response', (r) => {
      if (r.status() === 401) unauthorized.push(r.url());
    });
    await page.goto(`${server.url}/app/commitments`);
    await page.getByLabel('API key', { exact: true }).fill('e2e-secret-key-0123456789abcdefghij');
    await page.getByRole('button', { name: 'Use this key' }).click();
    const table = page.getByRole('table', { name: 'Commitments' });
    await table.getByRole('link', { name: /trade turnover/ }).waitFor();
    const asked = unauthorized.length;
    expect(asked).toBeGreaterThan(0);

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Agenda' })
      .click();
    await page.getByRole('table', { name: 'Overdue' }).waitFor();
    await page.reload();
    await page.getByRole('table', { name: 'Overdue' }).waitFor();
    await expect(page.getByLabel('API key', { exact: true }).count()).resolves.toBe(0);
    expect(unauthorized.length).toBe(asked);
    await context.close();
  });
});
