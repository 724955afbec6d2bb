/**
 * The replay's JSON, written as it goes: the object `{knownAt, asOf, commitments, position}`
 * (the `ReplayResult` of /audit/replay, the same members) as text chunks, from the streaming
 * producer `replayViews` (src/read-model/replay.ts). `position` comes last because it is known
 * only once every event is folded. Memory holds one chunk of views, not the whole answer.
 */
import type { CommitmentView } from '../../projections/types.js';

/** Views per chunk: large enough that a write per chunk is cheap, small enough to stay flat. */
const VIEWS_PER_CHUNK = 64;

export async function* replayJsonChunks(
  head: { knownAt: string; asOf: string },
  views: AsyncGenerator<CommitmentView, number, undefined>,
): AsyncGenerator<string, void, undefined> {
  let chunk = `{"knownAt":${JSON.stringify(head.knownAt)},"asOf":${JSON.stringify(head.asOf)},"commitments":[`;
  let n = 0;
  let inChunk = 0;
  for (;;) {
    const next = await views.next();
    if (next.done === true) {
      yield `${chunk}],"position":${next.value}}`;
      return;
    }
    chunk += (n > 0 ? ',' : '') + JSON.stringify(next.value);
    n += 1;
    inChunk += 1;
    if (inChunk >= VIEWS_PER_CHUNK) {
      yield chunk;
      chunk = '';
      inChunk = 0;
    }
  }
}

/**
 * Write chunks to a Node writable (an HTTP response, a file, stdout), waiting when it is full;
 * stops (and so stops the replay) when the writable is destroyed, e.g. the client went away.
 */
export async function writeChunks(
  chunks: AsyncIterable<string>,
  out: {
    write(chunk: string): boolean;
    once(event: 'drain' | 'close' | 'error', fn: () => void): unknown;
    readonly destroyed?: boolean;
  },
): Promise<void> {
  for await (const c of chunks) {
    if (out.destroyed === true) return;
    if (!out.write(c)) {
      await new Promise<void>((resolve) => {
        out.once('drain', resolve);
        out.once('close', resolve);
      });
    }
  }
}
