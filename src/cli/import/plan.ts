/**
 * `commitments import FILE`: NDJSON or a JSON array of
 *   - commitment bodies (the body of POST /commitments),
 *   - command lines `{"commitment": ID, "command": "sources"|"progress"|…, "body": {…}}` (the body
 *     of POST /commitments/{id}/<command>), or
 *   - an NDJSON event export (`commitments export --format ndjson`): ids, metadata and hashes are kept.
 *
 * Everything is validated first, against the schemas, the hash chain and a dry run of the domain
 * rules; a bad line stops the import before anything is written (unless skipInvalid).
 *
 * Idempotent: a body without an id gets one derived from the line's content; each body or command
 * line is identified by the hash of its content (its events get ids derived from it), so importing
 * the same file again finds them stored and adds nothing. Exported events are skipped when the
 * target already holds the same event (same id and hash) at that revision.
 *
 * One file is either an event export or bodies and commands: the kind held by most lines wins,
 * and lines of the other kind are invalid.
 */
import type { EventStore } from '../../store/port.js';
import { commandLineParser } from './command-line.js';
import { DecisionStates } from './decisions.js';
import { classify, lineNo, splitEntries, type EntryKind } from './entries.js';
import { eventLineParser } from './event-line.js';
import { recordLineParser } from './record-line.js';
import type { ImportPlan, LineError, LineParser, Planned } from './types.js';

const MIXED = {
  events: 'expected an exported event (position, stream, revision, id, type, data, metadata, hash)',
  commands: 'an exported event cannot be mixed with commitment bodies and commands in one file',
};

/** Parse and validate the whole input against the store; nothing is written. */
export async function planImport(
  text: string,
  store: EventStore,
  opts: { today: string },
): Promise<ImportPlan> {
  const { entries, errors } = splitEntries(text);
  const invalid: LineError[] = [...errors];
  const writes: Planned[] = [];
  let present = 0;

  const kinds = entries.map((e) => classify(e.value));
  const eventLines = kinds.filter((k) => k === 'event').length;
  const format: ImportPlan['format'] =
    entries.length === 0 ? 'empty' : eventLines * 2 > entries.length ? 'events' : 'commands';

  const states = new DecisionStates(store);
  const parsers: Record<EntryKind, LineParser> = {
    event: eventLineParser(store),
    command: commandLineParser(store, states, opts),
    record: recordLineParser(store, states, opts),
  };

  for (const [i, entry] of entries.entries()) {
    const { where } = entry;
    const kind = kinds[i] as EntryKind;
    if (format !== 'empty' && (format === 'events') !== (kind === 'event')) {
      invalid.push({ where, path: '', message: MIXED[format] });
      continue;
    }
    await parsers[kind](entry, {
      bad: (path, message) => invalid.push({ where, path, message }),
      present: () => {
        present += 1;
      },
      write: (planned) => writes.push(planned),
    });
  }

  invalid.sort((a, b) => lineNo(a.where) - lineNo(b.where));
  return { format, entries: entries.length + errors.length, present, invalid, writes };
}
