/**
 * health.during.audit (issue 20): `/health` p99 on the real server (child process, the
 * benchmark's log) while a verify, a replay and a full CSV export of that log run at the same
 * time; the baseline is `/health` p99 on the same server idle. The audits run in a worker
 * thread, one of each at a time, so `/health` should barely notice them.
 * The server is in open mode (loopback, no keys), where the audits are allowed.
 */
import { load, log, round, startServerChild, type BenchOptions, type CaseResult } from '../lib.js';

/** Fetch a whole response body, counting its bytes; the status and size for the log. */
async function drain(url: string): Promise<{ status: number; bytes: number; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(url);
  let bytes = 0;
  if (res.body) for await (const chunk of res.body) bytes += (chunk as Uint8Array).byteLength;
  return { status: res.status, bytes, ms: Math.round(performance.now() - t0) };
}

export async function healthDuringAudit(
  opts: BenchOptions,
  dataDir: string,
): Promise<CaseResult[]> {
  const seconds = opts.quick ? 5 : 10;
  const app = await startServerChild('children/app-server.js', [dataDir]);
  try {
    const health = () => ({ path: '/health' });
    const idle = await load({ url: app.url, connections: 4, seconds, next: health });
    const audits = Promise.all([
      drain(`${app.url}/audit/verify`),
      drain(`${app.url}/audit/replay`),
      drain(`${app.url}/commitments.csv`),
    ]);
    const busy = await load({ url: app.url, connections: 4, seconds, next: health });
    const [verify, replay, csv] = await audits;
    log(
      `health.during.audit: verify ${verify.status} in ${verify.ms} ms, replay ${replay.status} ` +
        `(${replay.bytes} B) in ${replay.ms} ms, CSV ${csv.status} (${csv.bytes} B) in ${csv.ms} ms; ` +
        `/health p99 idle ${idle.p99} ms, during ${busy.p99} ms (${busy.non2xx} non-2xx)`,
    );
    return [
      {
        name: 'health.during.audit',
        value: busy.p99,
        unit: 'ms p99',
        baseline: { name: '/health p99 on the idle server', value: idle.p99 },
        ratio: idle.p99 > 0 ? round(busy.p99 / idle.p99, 3) : 0,
        p50: busy.p50,
        p99: busy.p99,
      },
    ];
  } finally {
    await app.stop();
  }
}
