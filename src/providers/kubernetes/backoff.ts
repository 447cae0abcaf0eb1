export interface BackoffOptions {
  /** First delay; default 250 ms. */
  initialMs?: number;
  /** Cap; default 30 s. */
  maxMs?: number;
  /** 0..1: each delay is drawn from [d·(1−jitter), d]; default 0.5. */
  jitter?: number;
  random?: () => number;
}

/**
 * Capped exponential backoff with jitter: after an outage (an API server restart), many
 * reflectors reconnect spread out instead of all at once, and never wait longer than the cap.
 */
export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 250;
    this.maxMs = options.maxMs ?? 30_000;
    this.jitter = options.jitter ?? 0.5;
    this.random = options.random ?? Math.random;
  }

  /** The delay before the next attempt; grows with every call until reset(). */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(base * (1 - this.jitter * this.random()));
  }

  reset(): void {
    this.attempt = 0;
  }

  get failures(): number {
    return this.attempt;
  }
}
