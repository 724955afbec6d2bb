/**
 * Parser of command lines `{"commitment": ID, "command": SEGMENT, "body": {…}}` (the body of
 * POST /commitments/{id}/<segment>). The body is validated and the command is decided against
 * the commitment's state after the store and the earlier lines, so a line that breaks a rule
 * stops the import before anything is written. A line already imported (its content key names
 * a stored event) or repeated in the file is present.
 */
import { z } from 'zod';
import {
  COMMAND_OF_SEGMENT,
  CommitmentCommandBodies,
  type CommandSegment,
} from '../../domain/commands.js';
import { decide, evolveDecision } from '../../domain/decide.js';
import { CommitmentId } from '../../domain/values.js';
import { fieldErrors } from '../../shared/field-errors.js';
import { idempotentEventId } from '../../app/ids.js';
import type { CommandBody } from '../../app/types.js';
import type { EventStore } from '../../store/port.js';
import type { DecisionStates } from './decisions.js';
import { keyOf, reportDomainError } from './decisions.js';
import { IMPORT_SCOPE, type LineParser } from './types.js';

/** A line's `command` is the URL segment; it maps to the command type as in the route table. */
const SEGMENTS = Object.keys(COMMAND_OF_SEGMENT) as [CommandSegment, ...CommandSegment[]];
const CommandLine = z.strictObject({
  commitment: CommitmentId,
  command: z.enum(SEGMENTS),
  body: z.unknown(),
});

export function commandLineParser(
  store: EventStore,
  states: DecisionStates,
  opts: { today: string },
): LineParser {
  const plannedKeys = new Set<string>();

  return async ({ where, value }, sink) => {
    const parsed = CommandLine.safeParse(value);
    if (!parsed.success) {
      for (const f of fieldErrors(parsed.error.issues, value)) sink.bad(f.path, f.message);
      return;
    }
    const { commitment: id, command: segment } = parsed.data;
    const command = COMMAND_OF_SEGMENT[segment];
    const bodyRaw = (value as { body: unknown }).body;
    const body = CommitmentCommandBodies[command].safeParse(bodyRaw);
    if (!body.success) {
      for (const f of fieldErrors(body.error.issues, bodyRaw, ['body']))
        sink.bad(f.path, f.message);
      return;
    }
    const key = keyOf(value);
    if (plannedKeys.has(key) || (await store.findEvent(idempotentEventId(IMPORT_SCOPE, key, 0)))) {
      sink.present();
      return;
    }
    try {
      const state = await states.get(id);
      let supersedingExists: boolean | undefined;
      if (command === 'Supersede') {
        const by = (body.data as CommandBody<'Supersede'>).by;
        supersedingExists = by !== id && (await states.get(by)).exists;
      }
      const events = decide(
        state,
        { type: command, body: body.data } as Parameters<typeof decide>[1],
        {
          today: opts.today,
          ...(supersedingExists !== undefined ? { supersedingExists } : {}),
        },
      );
      states.set(id, events.reduce(evolveDecision, state));
    } catch (err) {
      if (reportDomainError(sink, err, 'body')) return;
      throw err;
    }
    plannedKeys.add(key);
    sink.write({ kind: 'command', where, key, id, command, body: body.data });
  };
}
