/**
 * Writes a validated import plan. An event export goes through the store's importEvents in
 * chunks (each all or nothing); bodies and commands go through the tracker with their line's
 * content key as idempotency key, so a repeated import writes nothing twice.
 */
import type { OpenTracker } from '../../bootstrap.js';
import type { CommandBody } from '../../app/types.js';
import type { Progress } from '../output.js';
import { IMPORT_SCOPE, importerOf, type ImportPlan } from './types.js';

const CHUNK = 1000;

async function applyEvents(
  plan: ImportPlan,
  tracker: OpenTracker,
  progress: Progress,
): Promise<{ imported: number; events: number }> {
  const importer = importerOf(tracker.store);
  if (!importer) throw new Error(`the ${tracker.store.kind} store cannot import exported events`);
  const all = plan.writes.flatMap((w) => (w.kind === 'events' ? w.events : []));
  let imported = 0;
  for (let i = 0; i < all.length; i += CHUNK) {
    const chunk = all.slice(i, i + CHUNK);
    await importer.importEvents(chunk);
    imported += chunk.length;
    progress.update(imported);
  }
  return { imported, events: imported };
}

export async function applyImport(
  plan: ImportPlan,
  tracker: OpenTracker,
  opts: { recordedBy: string; progress: Progress },
): Promise<{ imported: number; events: number }> {
  if (plan.format === 'events') return applyEvents(plan, tracker, opts.progress);
  let imported = 0;
  let events = 0;
  for (const w of plan.writes) {
    const ctx = {
      recordedBy: opts.recordedBy,
      idempotencyKey: w.kind === 'events' ? '' : w.key,
      idempotencyScope: IMPORT_SCOPE,
    };
    if (w.kind === 'record') {
      const r = await tracker.record(w.body, ctx);
      events += r.events.length;
    } else if (w.kind === 'command') {
      const r = await tracker.execute(
        w.id,
        w.command,
        w.body as CommandBody<typeof w.command>,
        ctx,
      );
      events += r.events.length;
    }
    imported += 1;
    opts.progress.update(imported);
  }
  return { imported, events };
}
