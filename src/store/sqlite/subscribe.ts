/**
 * Subscriptions: deliver every event after a position, in order, then keep following the log.
 * Appends of this connection wake a subscription at once (`notifier` emits 'appended'); appends
 * of other connections (another process on the same file) are seen by polling every
 * `pollIntervalMs`. A page with nothing under the prefix moves the position to the head, so
 * that range is not scanned again. An error stops the subscription and goes to `onError`.
 */
import type { EventEmitter } from 'node:events';
import type {
  ReadAllOptions,
  StoredEvent,
  SubscribeOptions,
  Subscription,
  SubscriptionHandlers,
} from '../port.js';
import { mapSqliteError } from './errors.js';

const PAGE = 500;

/** What a subscription reads from; `guard` throws once the store is closed. */
export interface SubscriptionSource {
  guard(): void;
  headPositionSync(): number;
  readAllSync(options: ReadAllOptions): StoredEvent[];
  notifier: EventEmitter;
  pollIntervalMs: number;
}

function waiter(src: SubscriptionSource): { wait(): Promise<void>; wake(): void } {
  let wake: (() => void) | null = null;
  return {
    wake: () => wake?.(),
    wait: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, src.pollIntervalMs);
        timer.unref();
        function done(): void {
          clearTimeout(timer);
          wake = null;
          resolve();
        }
        wake = done;
      }),
  };
}

export function subscribe(
  src: SubscriptionSource,
  options: SubscribeOptions,
  handlers: SubscriptionHandlers,
  onEnd: (sub: Subscription) => void,
): Subscription {
  let position = options.after;
  let stopped = false;
  const news = waiter(src);
  src.notifier.on('appended', news.wake);

  const loop = async (): Promise<void> => {
    let behind = true;
    while (!stopped) {
      let page: StoredEvent[];
      let head: number;
      try {
        src.guard();
        head = src.headPositionSync();
        page = src.readAllSync({
          after: position,
          limit: PAGE,
          streamPrefix: options.streamPrefix,
        });
      } catch (err) {
        if (stopped) return;
        throw mapSqliteError(err);
      }
      if (page.length === 0) {
        if (head > position) position = head;
        if (behind) {
          behind = false;
          handlers.onCaughtUp?.(position);
        }
        await news.wait();
        continue;
      }
      behind = true;
      for (const e of page) {
        if (stopped) return;
        await handlers.onEvent(e);
        position = e.position;
      }
    }
  };

  const running = loop()
    .catch((err: unknown) => {
      stopped = true;
      handlers.onError?.(err instanceof Error ? err : new Error(String(err)));
    })
    .finally(() => {
      src.notifier.off('appended', news.wake);
      onEnd(sub);
    });

  const sub: Subscription = {
    stop: async () => {
      stopped = true;
      news.wake();
      await running;
    },
  };
  return sub;
}
