#!/usr/bin/env node
// Builds only when the compiled output is older than its sources, so `npm start` starts at once
// on a current `dist/`. `npm run build` always rebuilds and then calls this with --stamp.
// A build is current when dist/.build-stamp is newer than every file under the inputs below.
/* global process, console */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.build-stamp');
const inputs = [
  'src',
  'projections',
  'bench',
  'web',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'vite.config.ts',
];
const skip = new Set(['node_modules', 'dist', '.tmp']);

/** Newest modification time (ms) of a file, or of any file below a folder; 0 when absent. */
function newest(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(path)) {
    if (skip.has(entry)) continue;
    max = Math.max(max, newest(join(path, entry)));
  }
  return max;
}

if (process.argv.includes('--stamp')) {
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
  process.exit(0);
}

let built;
try {
  built = statSync(stamp).mtimeMs;
} catch {
  built = 0;
}
const sources = Math.max(...inputs.map((p) => newest(join(root, p))));
if (built > 0 && built >= sources) {
  console.log('dist/ is current; skipping the build (`npm run build` rebuilds)');
  process.exit(0);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const r = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
