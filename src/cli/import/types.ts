/**
 * The shapes an import passes around: input entries, the errors reported per line, the plan
 * of writes, and the port a store offers to take exported events as they are.
 */
import type { CommitmentCommandName } from '../../domain/commands.js';
import type { RecordCommitmentBody } from '../../domain/commands.js';
import type { EventStore, StoredEvent } from '../../store/port.js';

/** Scope of the idempotency keys of imported lines (event ids are derived from scope and key). */
export const IMPORT_SCOPE = 'import';

/** A store that can take events with their original id, metadata and hash. */
export interface EventImporter {
  importEvents(events: readonly StoredEvent[]): StoredEvent[] | Promise<StoredEvent[]>;
}

export function importerOf(store: EventStore): EventImporter | null {
  const s = store as EventStore & Partial<EventImporter>;
  return typeof s.importEvents === 'function' ? (s as EventStore & EventImporter) : null;
}

/** One parsed value of the input, and where it was: `line 3` (NDJSON) or `item 3` (JSON array). */
export interface Entry {
  where: string;
  value: unknown;
}

export interface LineError {
  where: string;
  path: string;
  message: string;
}

export function formatLineError(e: LineError): string {
  return e.path ? `${e.where}: ${e.path}: ${e.message}` : `${e.where}: ${e.message}`;
}

export type Planned =
  | { kind: 'events'; where: string; events: StoredEvent[] }
  | { kind: 'record'; where: string; key: string; body: RecordCommitmentBody & { id: string } }
  | {
      kind: 'command';
      where: string;
      key: string;
      id: string;
      command: CommitmentCommandName;
      body: unknown;
    };

export interface ImportPlan {
  format: 'events' | 'commands' | 'empty';
  entries: number;
  /** Already in the store (or repeated in the file): skipped. */
  present: number;
  invalid: LineError[];
  /** Lines (one entry per line) that will be written, in order. */
  writes: Planned[];
}

export interface ImportResult {
  format: ImportPlan['format'];
  entries: number;
  imported: number;
  events: number;
  present: number;
  invalid: number;
}

/** What a line parser reports about its line; it reports any number of `bad`, or one of the others. */
export interface LineSink {
  bad(path: string, message: string): void;
  present(): void;
  write(planned: Planned): void;
}

/** A parser of one kind of line. It may keep state across the lines of one import. */
export type LineParser = (entry: Entry, sink: LineSink) => Promise<void>;
