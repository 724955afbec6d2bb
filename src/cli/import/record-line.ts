/**
 * Parser of commitment bodies (the body of POST /commitments). A body without an id gets one
 * derived from its content. A commitment already stored with this line's content (or the same
 * recorded data) is present; with other content, the line is refused. The same id twice in one
 * file must carry the same content.
 */
import { RecordCommitmentBody } from '../../domain/commands.js';
import { decide, evolveDecision, initialDecisionState } from '../../domain/decide.js';
import { fieldErrors } from '../../shared/field-errors.js';
import { generateId, idempotentEventId } from '../../app/ids.js';
import { canonicalJson } from '../../store/hash-chain.js';
import { commitmentStream, type EventStore } from '../../store/port.js';
import type { DecisionStates } from './decisions.js';
import { keyOf, reportDomainError } from './decisions.js';
import { IMPORT_SCOPE, type LineParser } from './types.js';

export function recordLineParser(
  store: EventStore,
  states: DecisionStates,
  opts: { today: string },
): LineParser {
  /** Content key of the line that recorded each id in this file. */
  const recordKeyOf = new Map<string, string>();

  return async ({ where, value }, sink) => {
    const parsed = RecordCommitmentBody.safeParse(value);
    if (!parsed.success) {
      for (const f of fieldErrors(parsed.error.issues, value)) sink.bad(f.path, f.message);
      return;
    }
    const key = keyOf(value);
    const id =
      parsed.data.id ??
      generateId(parsed.data.title, { idempotencyKey: key, idempotencyScope: IMPORT_SCOPE });
    const body = { ...parsed.data, id };
    const planned = recordKeyOf.get(id);
    if (planned !== undefined) {
      if (planned === key) sink.present();
      else
        sink.bad('id', `commitment ${id} is recorded twice in this file, with different content`);
      return;
    }
    let decided;
    try {
      decided = decide(
        initialDecisionState,
        { type: 'RecordCommitment', body },
        { today: opts.today },
      );
    } catch (err) {
      if (reportDomainError(sink, err, '')) return;
      throw err;
    }
    const first = (await store.readStream(commitmentStream(id)))[0];
    if (first) {
      if (
        first.id === idempotentEventId(IMPORT_SCOPE, key, 0) ||
        canonicalJson(first.data) === canonicalJson(decided[0]?.data)
      ) {
        sink.present();
        recordKeyOf.set(id, key);
      } else {
        sink.bad('id', `commitment ${id} already exists with other content`);
      }
      return;
    }
    states.set(id, decided.reduce(evolveDecision, initialDecisionState));
    recordKeyOf.set(id, key);
    sink.write({ kind: 'record', where, key, body });
  };
}
