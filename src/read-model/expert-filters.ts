/**
 * List filters of issue 15, as SQL on `rm_commitments c` for `list` (queries.ts):
 * - `assessment`: the latest review's assessment (`on_track`, `at_risk`, `stalled`), or `none`
 *   before any review; read from the state's `assessment.value`, as the view shows it.
 * - `dueVague`: `true` lists the commitments whose deadline is kept as a vague phrase (no dates,
 *   `due.vague`), for an analyst to settle by a revision; `false` leaves them out.
 * Both read the stored state with SQLite's JSON functions (no extra column, no index): they narrow
 * a list whose other filters or cursor already bound the scan.
 */
import type { ListFilter } from './types.js';

export function expertListWhere(filter: ListFilter): { where: string[]; params: string[] } {
  const where: string[] = [];
  const params: string[] = [];
  if (filter.assessment === 'none') {
    where.push("json_extract(c.state_json, '$.assessment') IS NULL");
  } else if (filter.assessment !== undefined) {
    where.push("json_extract(c.state_json, '$.assessment.value') = ?");
    params.push(filter.assessment);
  }
  if (filter.dueVague === true) {
    // A vague deadline has no dates: due_latest is null, which the index narrows first.
    where.push("c.due_latest IS NULL AND json_extract(c.state_json, '$.due.vague') = 1");
  } else if (filter.dueVague === false) {
    where.push("IFNULL(json_extract(c.state_json, '$.due.vague'), 0) = 0");
  }
  return { where, params };
}
