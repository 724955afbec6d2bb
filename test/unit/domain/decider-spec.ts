/**
 * A tiny given/when/then harness for the decider:
 *
 *   given([recorded]).when(command, ctx).then([event])
 *   given([recorded, withdrawn]).when(command).thenThrows('closed')
 */
import { expect } from 'vitest';
import type { Command } from '../../../src/domain/commands.js';
import {
  decide,
  evolveDecision,
  initialDecisionState,
  type DecideContext,
} from '../../../src/domain/decide.js';
import {
  DomainError,
  InvalidInputError,
  type DomainErrorCode,
} from '../../../src/domain/errors.js';
import { EventSchemas, type DomainEvent } from '../../../src/domain/events.js';

export const defaultContext: DecideContext = { today: '2026-01-10' };

export interface When {
  /** The command produced exactly these events, and each one's data fits its schema exactly. */
  then(expected: DomainEvent[]): DomainEvent[];
  /** The command was refused with a DomainError of this code. */
  thenThrows(code: DomainErrorCode): DomainError;
  /** The command was refused with an InvalidInputError at this field path. */
  thenRejectsInput(path: string): InvalidInputError;
}

export function given(history: DomainEvent[]) {
  const state = history.reduce(evolveDecision, initialDecisionState);
  return {
    state,
    when(command: Command, ctx: DecideContext = defaultContext): When {
      const run = () => decide(state, command, ctx);
      const caught = (): unknown => {
        try {
          run();
        } catch (e) {
          return e;
        }
        throw new Error(`expected ${command.type} to be refused, but it produced events`);
      };
      return {
        then(expected) {
          const actual = run();
          expect(actual).toEqual(expected);
          for (const e of actual) {
            // Clean JSON: no undefined members, and a round trip through the schema changes nothing.
            expect(JSON.parse(JSON.stringify(e.data))).toEqual(e.data);
            expect(EventSchemas[e.type].parse(e.data)).toEqual(e.data);
          }
          return actual;
        },
        thenThrows(code) {
          const e = caught();
          expect(e).toBeInstanceOf(DomainError);
          expect((e as DomainError).code).toBe(code);
          return e as DomainError;
        },
        thenRejectsInput(path) {
          const e = caught();
          expect(e).toBeInstanceOf(InvalidInputError);
          expect((e as InvalidInputError).path).toBe(path);
          return e as InvalidInputError;
        },
      };
    },
  };
}
