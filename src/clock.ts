/**
 * The real clock, its one definition. Everything else receives a `Clock`; the composition roots
 * pass this one, and the store adapters fall back to it when they are opened without a clock.
 */
import type { Clock } from './domain/clock.js';

export const systemClock: Clock = {
  now: () => new Date(),
};
