/** The interfaces the domain needs from the outside world. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
