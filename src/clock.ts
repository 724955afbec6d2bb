/** The real clock. Everything else receives a `Clock`; only the composition roots use this one. */
import type { Clock } from './domain/clock.js';

export const systemClock: Clock = {
  now: () => new Date(),
};
