/** Every commitment view at `asOf` (optionally of one party), paged through the application's `list`, in its stable order. */
import type { CommitmentView } from '../../projections/types.js';
import { viewPages, type ViewLister } from './stream.js';

export type { ViewLister } from './stream.js';

/**
 * All views in one array. Prefer the streamed exports (stream.ts) for anything that can be
 * large: this holds every view in memory.
 */
export async function allViews(
  tracker: ViewLister,
  opts: { asOf: string; party?: string },
): Promise<CommitmentView[]> {
  const out: CommitmentView[] = [];
  for await (const page of viewPages(tracker, { ...opts, pageSize: 500 })) out.push(...page);
  return out;
}
