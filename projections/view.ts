/**
 * The view of a commitment at an `asOf` date: the folded state plus timing, in the field
 * order of the API contract. Pure, and a deep copy: callers cannot mutate the state through it.
 */
import { nextItem, overdueItems } from './agenda.js';
import { complianceOf, latestAssessments } from './scorecard.js';
import { timingOf } from './timing.js';
import type { CommitmentState, CommitmentView } from './types.js';

export function toView(state: CommitmentState, asOf: string): CommitmentView {
  const assessments = latestAssessments(state.partyAssessments ?? []);
  return {
    id: state.id,
    title: state.title,
    kind: state.kind,
    parties: [...state.parties],
    tags: [...state.tags],
    status: state.status,
    timing: timingOf(state, asOf),
    overdue: overdueItems(state, asOf),
    next: nextItem(state, asOf),
    due: state.due === null ? null : { ...state.due },
    nextFollowUp: state.nextFollowUp,
    metric: structuredClone(state.metric),
    statement: structuredClone(state.statement),
    sources: structuredClone(state.sources),
    outcome: state.outcome === null ? null : { ...state.outcome },
    supersededBy: state.supersededBy,
    assessment: state.assessment ? { ...state.assessment } : null,
    withdrawal: state.withdrawal ? { ...state.withdrawal } : null,
    supersession: state.supersession ? { ...state.supersession } : null,
    assessments,
    compliance: complianceOf(assessments.map((a) => a.score)),
    revision: state.revision,
    recordedAt: state.recordedAt,
    updatedAt: state.updatedAt,
  };
}
