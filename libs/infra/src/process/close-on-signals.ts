/** Something that can be closed gracefully: a Nest application (the gateway) or application context (the worker). */
export interface Closable {
  close(): Promise<void>;
}

/**
 * Stops a process on SIGTERM or SIGINT: logs the signal, closes `app` (the gateway drains its requests, the BullMQ
 * workers finish the jobs in progress) and exits 0 with a log line. If closing takes longer than `timeoutMs`
 * (SHUTDOWN_TIMEOUT_MS), it logs that and exits 1: a job cut short is found stalled and run again by another worker,
 * and its handler is idempotent. A repeated signal changes nothing: Ctrl-C reaches a process twice under `npm start`
 * (from the terminal and from its parent), and must not turn a graceful stop into a hard one.
 */
export function closeOnSignals(name: string, app: Closable, timeoutMs: number): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`[${name}] ${signal}: stopping (deadline ${timeoutMs} ms)`);
    setTimeout(() => {
      console.error(`[${name}] not stopped within ${timeoutMs} ms: exiting with work unfinished`);
      process.exit(1);
    }, timeoutMs).unref();
    app.close().then(
      () => {
        console.log(`[${name}] stopped`);
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`[${name}] failed to stop cleanly`, error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
