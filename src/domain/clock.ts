/** The clock is injected everywhere time is read; the domain never reads it directly. */
export interface Clock {
  /** Current instant. */
  now(): Date;
}

/** A clock fixed at one instant, or moved by hand (tests, replays). */
export function fixedClock(
  at: string | Date,
): Clock & { set(at: string | Date): void; advance(ms: number): void } {
  let t = new Date(at).getTime();
  return {
    now: () => new Date(t),
    set: (v) => {
      t = new Date(v).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** UTC calendar date of an instant, `YYYY-MM-DD`. */
export function utcDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}
