export interface DebounceOptions {
  /** Run once nothing has been triggered for this long. */
  quietMs: number;
  /** Run at the latest this long after the first trigger, even if triggers keep coming. */
  maxWaitMs?: number;
}

/**
 * Turns a burst of triggers into one call: `fn` runs after `quietMs` without a trigger, or
 * `maxWaitMs` after the first one, whichever comes first, so a steady stream of edits still
 * gets picked up.
 */
export class Debouncer {
  private quietTimer: NodeJS.Timeout | undefined;
  private maxTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly fn: () => void,
    private readonly options: DebounceOptions,
  ) {}

  trigger(): void {
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => this.fire(), this.options.quietMs);
    if (!this.maxTimer && this.options.maxWaitMs !== undefined) {
      this.maxTimer = setTimeout(() => this.fire(), this.options.maxWaitMs);
    }
  }

  get pending(): boolean {
    return this.quietTimer !== undefined;
  }

  cancel(): void {
    if (this.quietTimer) clearTimeout(this.quietTimer);
    if (this.maxTimer) clearTimeout(this.maxTimer);
    this.quietTimer = undefined;
    this.maxTimer = undefined;
  }

  private fire(): void {
    this.cancel();
    this.fn();
  }
}
