/** Pure projections: fold events into commitment state, and derive views, timing and agenda items. */
export * from './types.js';
export {
  evolve,
  evolveDomain,
  fold,
  nextFollowUpOf,
  progressOf,
  type EventPosition,
} from './evolve.js';
export { DUE_SOON_DAYS, daysBetween, isClosed, timingOf } from './timing.js';
export { toView } from './view.js';
export { agendaItems, compareAgendaItems, overdueAt, untilDate, upcomingAt } from './agenda.js';
export { InMemoryModel, type StoredEventLike } from './memory-model.js';
