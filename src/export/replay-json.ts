/**
 * The replay's JSON, written as it goes: the `ReplayResult` of /audit/replay as text chunks,
 * from the streaming producer `openReplay` / `replayViews` (src/read-model/replay.ts). Memory
 * holds one chunk of views, not the whole answer.
 *
 * With `head.position` (known before the views: `openReplay`), the chunks put together are the
 * bytes `JSON.stringify(result)` gives for `{knownAt, asOf, position, commitments}`, the answer
 * /audit/replay sent in one piece before it streamed; with `pretty`, those of
 * `JSON.stringify(result, null, 2) + '\n'` (`commitments replay --json`). Without
 * `head.position` the object ends with `position`, the return value of the views' generator.
 */
import type { CommitmentView } from '../../projections/types.js';

/** Views per chunk: large enough that a write per chunk is cheap, small enough to stay flat. */
const VIEWS_PER_CHUNK = 64;

export async function* replayJsonChunks(
  head: { knownAt: string; asOf: string; position?: number },
  views: AsyncIterator<CommitmentView, number | void, undefined>,
  opts: { pretty?: boolean; viewsPerChunk?: number } = {},
): AsyncGenerator<string, void, undefined> {
  const pretty = opts.pretty === true;
  const perChunk = Math.max(1, opts.viewsPerChunk ?? VIEWS_PER_CHUNK);
  const member = (name: string, value: unknown): string =>
    pretty
      ? `\n  ${JSON.stringify(name)}: ${JSON.stringify(value)}`
      : `${JSON.stringify(name)}:${JSON.stringify(value)}`;
  const known = head.position !== undefined;
  let chunk =
    `{${member('knownAt', head.knownAt)},${member('asOf', head.asOf)},` +
    (known ? `${member('position', head.position)},` : '') +
    (pretty ? '\n  "commitments": [' : '"commitments":[');
  let n = 0;
  let inChunk = 0;
  try {
    for (;;) {
      const next = await views.next();
      if (next.done === true) {
        const close = pretty ? (n > 0 ? '\n  ]' : ']') : ']';
        const tail = known ? '' : `,${member('position', next.value ?? 0)}`;
        yield `${chunk}${close}${tail}${pretty ? '\n}\n' : '}'}`;
        return;
      }
      const text = pretty
        ? `\n    ${JSON.stringify(next.value, null, 2).replace(/\n/g, '\n    ')}`
        : JSON.stringify(next.value);
      chunk += (n > 0 ? ',' : '') + text;
      n += 1;
      inChunk += 1;
      if (inChunk >= perChunk) {
        yield chunk;
        chunk = '';
        inChunk = 0;
      }
    }
  } finally {
    // Stopped early (the consumer went away): stop the producer too.
    await views.return?.(0);
  }
}
