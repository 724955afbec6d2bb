/**
 * What the command and body parsers share: each commitment's decision state as the store
 * holds it plus the lines planned so far, the content key of a line, and how domain errors
 * become line errors.
 */
import { createHash } from 'node:crypto';
import { evolveDecision, initialDecisionState, type DecisionState } from '../../domain/decide.js';
import { DomainError, InvalidInputError } from '../../domain/errors.js';
import { toDomainEvent } from '../../domain/events.js';
import { canonicalJson } from '../../store/hash-chain.js';
import { commitmentStream, type EventStore } from '../../store/port.js';
import type { LineSink } from './types.js';

export class DecisionStates {
  private readonly states = new Map<string, DecisionState>();
  constructor(private readonly store: EventStore) {}

  async get(id: string): Promise<DecisionState> {
    let s = this.states.get(id);
    if (s === undefined) {
      s = initialDecisionState;
      for (const e of await this.store.readStream(commitmentStream(id))) {
        s = evolveDecision(s, toDomainEvent(e.type, e.metadata.schemaVersion, e.data));
      }
      this.states.set(id, s);
    }
    return s;
  }

  set(id: string, state: DecisionState): void {
    this.states.set(id, state);
  }
}

/** The identity of an input line: the hash of its canonical JSON. */
export const keyOf = (v: unknown): string =>
  createHash('sha256').update(canonicalJson(v)).digest('hex');

/** Report a rule of the domain as a line error; false for any other error. */
export function reportDomainError(sink: LineSink, err: unknown, base: string): boolean {
  if (err instanceof InvalidInputError) {
    sink.bad(base ? `${base}.${err.path}` : err.path, err.message);
    return true;
  }
  if (err instanceof DomainError) {
    sink.bad('', err.message);
    return true;
  }
  return false;
}
