/** The `ReadModel` port over the SQLite read model in `db`, audited against `store`. */
import type { Database } from 'better-sqlite3';
import type { EventStore } from '../store/port.js';
import { verify } from './audit.js';
import type { ReadModel } from './port.js';
import * as queries from './queries.js';
import { summary } from './queries-summary.js';
import { readCheckpoint } from './sqlite-read-model.js';
import { scoredCommitments } from './scorecards.js';

export function sqliteReadModel(db: Database, store: EventStore): ReadModel {
  return {
    getState: (id) => queries.getState(db, id),
    list: (filter) => queries.list(db, filter),
    overdue: (filter) => queries.overduePage(db, filter),
    upcoming: (filter) => queries.upcomingPage(db, filter),
    summary: (opts) => summary(db, opts),
    checkpoint: () => readCheckpoint(db),
    verify: () => verify(store, db),
    scoredCommitments: (filter) => scoredCommitments(db, filter),
  };
}
