/**
 * Summarise a V8 `.cpuprofile` (from `node --cpu-prof`): self time per function and per file.
 *   node dist/bench/profile-summary.js <file.cpuprofile> [top]
 */
import fs from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.js <file.cpuprofile> [top]');
const top = Number(topArg ?? 25);
const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
for (let i = 0; i < p.samples.length; i += 1) {
  const id = p.samples[i] as number;
  self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
}
// Piped into `head`: stop quietly when the reader goes away.
process.stdout.on('error', () => process.exit(0));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fns = new Map<string, number>();
const files = new Map<string, number>();
for (const [id, us] of self) {
  const cf = (byId.get(id) as Node).callFrame;
  const short = cf.url.replace(/^file:\/\/.*?\/(node_modules|dist)\//, '$1/');
  const key = `${cf.functionName || '(anonymous)'}  ${short}:${cf.lineNumber + 1}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
  const f = short || `(${cf.functionName})`;
  files.set(f, (files.get(f) ?? 0) + us);
}
const show = (title: string, m: Map<string, number>): void => {
  process.stdout.write(`\n${title} (total ${(total / 1000).toFixed(0)} ms)\n`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(
      `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}\n`,
    );
  }
};
show('self time by function', fns);
show('self time by file', files);
