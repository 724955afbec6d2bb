/**
 * Subscriptions of the EventStoreDB adapter: catch up from `after`, then follow live appends, through
 * subscribeToAll with a server-side stream-name filter.
 *
 * Invariants: one event at a time (the next is delivered after the handler settles); only the
 * tracker's events are delivered (tombstones, system and foreign records are skipped); `onCaughtUp`
 * fires only once every event the server sent before its caught-up message has been handled, never
 * while some are still buffered; transport errors are reported to `onError` as StoreUnavailableError
 * and followed by a resubscription from the last delivered position with capped exponential backoff;
 * a handler that throws, or an `after` that is not a stored position, stops the subscription.
 */
import { streamNameFilter } from '@eventstore/db-client';
import type { AllStreamResolvedEvent, AllStreamSubscription } from '@eventstore/db-client';
import { InvalidPositionError } from '../errors.js';
import type { StoredEvent, SubscribeOptions, Subscription, SubscriptionHandlers } from '../port.js';
import { type EsdbContext, guard } from './context.js';
import { isInvalidPositionAnswer } from './read.js';
import {
  LOG_STREAMS_REGEX,
  fromEsdbPosition,
  fromRecordedEvent,
  isTrackerRecord,
  readAllFrom,
  translateError,
} from './mapping.js';

type RunOutcome = 'stop' | 'ended';

interface SubState {
  last: number;
  stopped: boolean;
  delivered: boolean;
  current: AllStreamSubscription | null;
}

/** The tracker event a subscription record carries for this subscription, or null to skip it. */
function eventOf(
  r: AllStreamResolvedEvent,
  prefix: string | undefined,
  last: number,
): StoredEvent | null {
  const ev = r.event;
  if (!ev || !isTrackerRecord(ev)) return null;
  if (prefix !== undefined && !ev.streamId.startsWith(prefix)) return null;
  if (fromEsdbPosition(ev.position) <= last) return null;
  return fromRecordedEvent(ev);
}

/** One subscription to $all, consumed until it ends, fails, is stopped or a handler throws. */
async function runOnce(
  ctx: EsdbContext,
  options: SubscribeOptions,
  handlers: SubscriptionHandlers,
  st: SubState,
): Promise<RunOutcome> {
  const prefix = options.streamPrefix;
  const sub = ctx.client.subscribeToAll({
    fromPosition: readAllFrom(st.last),
    filter:
      prefix !== undefined
        ? streamNameFilter({ prefixes: [prefix] })
        : streamNameFilter({ regex: LOG_STREAMS_REGEX }),
  });
  st.current = sub;
  // Events received before the caught-up message and not yet handled; null when none is pending.
  let beforeCaughtUp = null as number | null;
  let handling = false;
  const caughtUp = (): void => {
    beforeCaughtUp = null;
    if (!st.stopped) handlers.onCaughtUp?.(st.last);
  };
  sub.on('error', () => undefined); // errors surface through the iterator
  sub.on('caughtUp', () => {
    const buffered = sub.readableLength;
    if (buffered === 0 && !handling) caughtUp();
    else beforeCaughtUp = buffered;
  });
  try {
    for await (const r of sub as AsyncIterable<AllStreamResolvedEvent>) {
      if (st.stopped) break;
      if (beforeCaughtUp !== null && beforeCaughtUp > 0) beforeCaughtUp -= 1;
      const stored = eventOf(r, prefix, st.last);
      if (stored) {
        handling = true;
        try {
          await handlers.onEvent(stored);
        } catch (err) {
          handlers.onError?.(err instanceof Error ? err : new Error(String(err)));
          return 'stop';
        } finally {
          handling = false;
        }
        st.last = stored.position;
        st.delivered = true;
      }
      if (beforeCaughtUp === 0) caughtUp();
    }
    return 'ended';
  } finally {
    st.current = null;
    await sub.unsubscribe().catch(() => undefined);
    sub.destroy();
  }
}

/** The server refused the starting position: retrying would fail the same way. */
const refusedStart = (err: unknown, st: SubState): boolean =>
  !st.delivered && st.last !== 0 && isInvalidPositionAnswer(err);

export function subscribe(
  ctx: EsdbContext,
  options: SubscribeOptions,
  handlers: SubscriptionHandlers,
  onStopped: (handle: Subscription) => void,
): Subscription {
  guard(ctx);
  const minBackoff = ctx.opts.minBackoffMs ?? 250;
  const maxBackoff = ctx.opts.maxBackoffMs ?? 30_000;
  const st: SubState = { last: options.after, stopped: false, delivered: false, current: null };
  let wake: (() => void) | null = null;
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });

  const loop = async (): Promise<void> => {
    let failures = 0;
    while (!st.stopped && !ctx.isClosed()) {
      try {
        if ((await runOnce(ctx, options, handlers, st)) === 'stop' || st.stopped) return;
        failures = 0;
        ctx.log(`EventStoreDB subscription ended at position ${st.last}; resubscribing`);
      } catch (err) {
        if (st.stopped) return;
        if (refusedStart(err, st)) {
          handlers.onError?.(new InvalidPositionError(st.last));
          return;
        }
        const translated = translateError(err);
        const error = translated instanceof Error ? translated : new Error(String(translated));
        const delay = Math.min(maxBackoff, minBackoff * 2 ** Math.min(failures, 20));
        failures += 1;
        ctx.log(
          `EventStoreDB subscription failed (${error.message}); resubscribing in ${delay} ms`,
          error,
        );
        handlers.onError?.(error);
        await sleep(delay);
        wake = null;
      }
    }
  };

  const done = loop().catch((err: unknown) => {
    ctx.log('EventStoreDB subscription loop crashed', err);
  });
  const handle: Subscription = {
    stop: async (): Promise<void> => {
      st.stopped = true;
      (wake as (() => void) | null)?.();
      const sub = st.current;
      if (sub) {
        await sub.unsubscribe().catch(() => undefined);
        sub.destroy();
      }
      await done;
      onStopped(handle);
    },
  };
  return handle;
}
