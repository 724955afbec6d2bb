/** Pure projections: fold events into commitment state, and derive views, timing and agenda items. */
export * from './types.js';
export {
  evolve,
  evolveDomain,
  evolveStored,
  fold,
  foldStored,
  nextFollowUpOf,
  progressOf,
  statusOfAssessment,
  type EventPosition,
} from './evolve.js';
export { DUE_SOON_DAYS, daysBetween, isClosed, timingOf } from './timing.js';
export { toView } from './view.js';
export {
  agendaItems,
  compareAgendaItems,
  isItemOverdue,
  isOverdue,
  nextItem,
  overdueAt,
  overdueItems,
  untilDate,
  upcomingAt,
} from './agenda.js';
export {
  complianceOf,
  latestAssessments,
  scorecard,
  type CommitmentScore,
  type PartyScore,
  type Scorecard,
  type ScorecardInput,
} from './scorecard.js';
export { envelopeOf, InMemoryModel, type StoredEventLike } from './memory-model.js';
