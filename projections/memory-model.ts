/**
 * An in-memory read model: the projections of every commitment, kept in a Map.
 * Used to replay the whole tracker as known at an instant (fold the log from the start into a
 * fresh model) and for verify's scratch rebuild. Pure: no I/O, no clock.
 */
import { agendaItems, overdueAt, upcomingAt } from './agenda.js';
import { evolve, evolveStored } from './evolve.js';
import type { AgendaItem, CommitmentState, CommitmentView, EventEnvelope } from './types.js';
import { toView } from './view.js';

/** The parts of a stored event (src/store/port.ts StoredEvent) the model needs. */
export interface StoredEventLike {
  position?: number;
  stream: string;
  revision: number;
  type: string;
  data: unknown;
  metadata: { recordedAt: string; schemaVersion?: number };
}

/**
 * The envelope the folds need, from a stored event: the one mapping of a stored event to a
 * projection envelope (the read model, replay, audit and command handler use it too).
 */
export function envelopeOf(e: StoredEventLike): EventEnvelope {
  const env: EventEnvelope = {
    type: e.type,
    data: e.data,
    revision: e.revision,
    recordedAt: e.metadata.recordedAt,
  };
  if (e.metadata.schemaVersion !== undefined) env.schemaVersion = e.metadata.schemaVersion;
  return env;
}

export class InMemoryModel {
  /** State per stream key (stream name or commitment id, as the caller applies them). */
  readonly #byKey = new Map<string, CommitmentState>();
  /** The same states, by commitment id. */
  readonly #byId = new Map<string, CommitmentState>();
  #events = 0;
  #position = 0;

  /**
   * Fold one event into the commitment of `key` (a stream name or a commitment id; use the same
   * key for every event of a stream). Returns the new state, or null while the stream has no
   * CommitmentRecorded yet.
   */
  apply(key: string, event: EventEnvelope): CommitmentState | null {
    return this.#applyWith(evolve, key, event);
  }

  #applyWith(fold: typeof evolve, key: string, event: EventEnvelope): CommitmentState | null {
    const next = fold(this.#byKey.get(key) ?? null, event);
    this.#events += 1;
    if (next !== null) {
      this.#byKey.set(key, next);
      this.#byId.set(next.id, next);
    }
    return next;
  }

  /**
   * Apply a stored event (as read from the store, so validated at its door: the fast path,
   * `evolveStored`); remembers its position.
   */
  applyStored(e: StoredEventLike): CommitmentState | null {
    const state = this.#applyWith(evolveStored, e.stream, envelopeOf(e));
    if (e.position !== undefined && e.position > this.#position) this.#position = e.position;
    return state;
  }

  /** The state of one commitment, or null when it was never recorded. */
  get(id: string): CommitmentState | null {
    return this.#byId.get(id) ?? null;
  }

  /** Every recorded commitment, sorted by id (code-unit order). */
  all(): CommitmentState[] {
    return [...this.#byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Every commitment's view at `asOf`, sorted by id. */
  views(asOf: string): CommitmentView[] {
    return this.all().map((s) => toView(s, asOf));
  }

  /** Every agenda item of every commitment (unsorted). */
  agenda(): AgendaItem[] {
    const items: AgendaItem[] = [];
    for (const s of this.#byId.values()) items.push(...agendaItems(s));
    return items;
  }

  overdue(asOf: string) {
    return overdueAt(this.agenda(), asOf);
  }

  upcoming(asOf: string, until: string) {
    return upcomingAt(this.agenda(), asOf, until);
  }

  get size(): number {
    return this.#byId.size;
  }

  /** Number of events applied (including those that left a stream null). */
  get events(): number {
    return this.#events;
  }

  /** Greatest position seen by `applyStored`, 0 when none. */
  get position(): number {
    return this.#position;
  }
}
