/** How long stopping waits for a round in flight (one hangs while Redis is away: worker connections wait). */
const STOP_WAIT_MS = 2_000;

/**
 * Background work on an in-process interval: a round starts only when the previous one has finished, a failed
 * round is reported and the next one tries again, and stopping waits a bounded time for the round in flight.
 */
export class PeriodicRound {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<unknown> | undefined;

  constructor(
    private readonly everyMs: number,
    private readonly work: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.round !== undefined) return;
      this.round = this.work()
        .catch(this.onError)
        .finally(() => (this.round = undefined));
    }, this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    if (this.round === undefined) return;
    let waited: NodeJS.Timeout | undefined;
    await Promise.race([this.round, new Promise((resolve) => (waited = setTimeout(resolve, STOP_WAIT_MS)))]);
    clearTimeout(waited);
  }
}
