/**
 * Importing events already stored elsewhere (an NDJSON export, another store) with their
 * original id, type, data, metadata and hash; must run inside a transaction. Each event must
 * continue its stream's hash chain (`assertContinuesChain`): a wrong revision is a
 * WrongExpectedRevisionError, a wrong hash a ChainMismatchError, a stored id a
 * DuplicateEventError. Positions are assigned anew; the projections see the stored events,
 * once, after every event of the call is written (each touched commitment is folded and
 * written once).
 *
 * Into an empty store a large import takes the bulk path (bulk-load.ts): the unique indexes
 * are built after the load, and the checks they made are made in memory meanwhile, with the
 * same errors. Nothing of a failed import is written, whichever path it took.
 */
import { assertContinuesChain, eventHashOfJson, type StreamHead } from '../hash-chain.js';
import type { StoredEvent } from '../port.js';
import type { WriteContext } from './append.js';
import { bulkLoad, insertEvent, type LoadContext } from './bulk-load.js';
import { fastCanonicalJson } from './canonical.js';

function writeImported(ctx: LoadContext, events: readonly StoredEvent[]): StoredEvent[] {
  const heads = new Map<string, StreamHead>();
  const stored: StoredEvent[] = [];
  for (const e of events) {
    const head = heads.get(e.stream) ?? ctx.stmt.head.get(e.stream);
    const dataJson = fastCanonicalJson(e.data);
    const metadataJson = fastCanonicalJson(e.metadata);
    assertContinuesChain(head, e, (prev) => eventHashOfJson(prev, e, dataJson, metadataJson));
    const position = insertEvent(
      ctx,
      e.id,
      () =>
        ctx.stmt.insert.run(e.stream, e.revision, e.id, e.type, dataJson, metadataJson, e.hash)
          .lastInsertRowid,
    );
    heads.set(e.stream, { revision: e.revision, hash: e.hash });
    stored.push({ ...e, position });
  }
  for (const [stream, h] of heads) ctx.stmt.upsertHead.run(stream, h.revision, h.hash);
  return stored;
}

export function importStoredEvents(
  ctx: WriteContext,
  events: readonly StoredEvent[],
): StoredEvent[] {
  const stored = bulkLoad(ctx, events.length, (c) => writeImported(c, events));
  for (const fn of ctx.projections) fn(ctx.db, stored);
  return stored;
}
