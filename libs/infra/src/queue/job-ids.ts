/** The timers of a statutory clock (`clock-timers` queue job names). */
export type TimerKind = 'reminder' | 'due' | 'escalation';

/** BullMQ job id of a case command: deterministic, so a re-drive or a second relay never runs it twice. */
export function commandJobId(commandId: string): string {
  return `cmd-${commandId}`;
}

/** BullMQ job id of one timer of one clock generation (BullMQ refuses ':' in custom ids). */
export function timerJobId(clockId: string, kind: TimerKind, generation: number): string {
  return `clock-${clockId}-${kind}-g${generation}`;
}
