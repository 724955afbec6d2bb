/**
 * End-to-end harness: the BUILT server (dist/) on port 0 with a temporary DATA_DIR, and Debian's
 * Chromium driven by playwright-core. Everything needed is checked first; what is missing becomes
 * the printed reason the tests are skipped.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const MAIN = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
export const WEB_INDEX = path.join(ROOT, 'dist', 'web', 'index.html');
/** Screenshots of each view, kept by CI with the rest of .tmp/. */
export const SCREENSHOTS = path.join(ROOT, '.tmp', 'screenshots');

/** Why the end-to-end tests cannot run here, or null when they can. */
export function skipReason(): string | null {
  if (!fs.existsSync(CHROMIUM))
    return `${CHROMIUM} is missing (apt-get install chromium); the dashboard's end-to-end tests are skipped`;
  if (!fs.existsSync(MAIN) || !fs.existsSync(WEB_INDEX))
    return 'dist/ has no built server or dashboard (run npm run build); the end-to-end tests are skipped';
  return null;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export interface ServerProcess {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** `commitments serve` from dist/ on 127.0.0.1:0; `seed` files are imported first. */
export async function startBuiltServer(
  opts: { seed?: string[]; env?: Record<string, string> } = {},
): Promise<ServerProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'commitments-e2e-'));
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    API_KEYS: '',
    EVENTSTORE_URL: '',
    ...opts.env,
  };
  for (const file of opts.seed ?? []) {
    execFileSync(process.execPath, [MAIN, 'import', file], { env, stdio: 'pipe' });
  }
  const child: ChildProcess = spawn(process.execPath, [MAIN, 'serve'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    const timer = setTimeout(
      () => reject(new Error(`the server did not start: ${stderr}`)),
      20_000,
    );
    lines.on('line', (line) => {
      try {
        const rec = JSON.parse(line) as { msg?: string; url?: string };
        if (rec.msg === 'listening' && rec.url) {
          clearTimeout(timer);
          resolve(rec.url);
        }
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}: ${stderr}`));
    });
  });
  return {
    url,
    dataDir,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A date `days` from today (UTC), `YYYY-MM-DD`. */
export function dayOffset(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * What the pages a test opens did wrong: each request to a host other than the server's (the
 * dashboard loads nothing from elsewhere) and each uncaught script error. `watch` every page.
 */
export function pageWatch(): {
  foreign: string[];
  pageErrors: string[];
  watch(page: Page, origin: string): void;
} {
  const foreign: string[] = [];
  const pageErrors: string[] = [];
  return {
    foreign,
    pageErrors,
    watch(page, origin) {
      page.on('request', (r) => {
        const u = r.url();
        if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'))
          foreign.push(u);
      });
      page.on('pageerror', (e) => pageErrors.push(e.message));
    },
  };
}
