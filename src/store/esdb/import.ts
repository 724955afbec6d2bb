/**
 * Import of events stored elsewhere (`commitments migrate --to esdb://…`), keeping their original id,
 * type, data, metadata and hash. Each run of one stream is checked (revision continuity and hash chain
 * from the stream's head, read from the leader) before anything of it is written; its ids are reserved
 * together; it is written in appends under the server's size limit (append.ts).
 */
import { START } from '@eventstore/db-client';
import { assertContinuesChain, type StreamHead } from '../hash-chain.js';
import type { StoredEvent } from '../port.js';
import { writeEvents } from './append.js';
import { type EsdbContext, guard } from './context.js';
import { reserveIds } from './id-index.js';
import { readStreamRaw } from './read.js';

/** Check that `run` continues a stream whose head is `existing` (the chain rule: `continuesChain`). */
function checkContinues(existing: readonly StoredEvent[], run: readonly StoredEvent[]): void {
  let head: StreamHead | undefined = existing[existing.length - 1];
  for (const e of run) {
    assertContinuesChain(head, e);
    head = e;
  }
}

export async function importEvents(
  ctx: EsdbContext,
  events: readonly StoredEvent[],
): Promise<StoredEvent[]> {
  guard(ctx);
  const out: StoredEvent[] = [];
  let i = 0;
  while (i < events.length) {
    const stream = (events[i] as StoredEvent).stream;
    let j = i;
    while (j < events.length && (events[j] as StoredEvent).stream === stream) j += 1;
    const run = events.slice(i, j);
    const existing = await readStreamRaw(ctx, stream, START, { requiresLeader: true });
    checkContinues(existing, run);
    await reserveIds(
      ctx,
      run.map((e) => e.id),
      stream,
    );
    out.push(...(await writeEvents(ctx, stream, existing.length, run, existing.length)));
    i = j;
  }
  return out;
}
