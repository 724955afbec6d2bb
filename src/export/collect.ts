/** Every commitment view at `asOf` (optionally of one party), paged through the application's `list`, in its stable order. */
import type { CommitmentView } from '../../projections/types.js';
import type { ListFilter, ListPage } from '../read-model/types.js';

/** What the export pages through: the application's `list`. */
export interface ViewLister {
  list(filter: ListFilter): Promise<ListPage>;
}

const PAGE = 500;

export async function allViews(
  tracker: ViewLister,
  opts: { asOf: string; party?: string },
): Promise<CommitmentView[]> {
  const out: CommitmentView[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await tracker.list({
      asOf: opts.asOf,
      limit: PAGE,
      ...(opts.party !== undefined ? { party: opts.party } : {}),
      ...(cursor !== undefined ? { cursor } : {}),
    });
    out.push(...page.items);
    if (page.nextCursor === null) return out;
    cursor = page.nextCursor;
  }
}
