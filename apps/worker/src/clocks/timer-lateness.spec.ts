import { latenessSeconds } from './clock-timers.processor.js';

describe('latenessSeconds', () => {
  it('measures from enqueue time plus delay to the moment the job ran', () => {
    expect(latenessSeconds({ timestamp: 1_000, delay: 5_000, processedOn: 6_250 })).toBe(0.25);
  });

  it('counts a job run before its delay (promoted) as on time', () => {
    expect(latenessSeconds({ timestamp: 1_000, delay: 60_000, processedOn: 2_000 })).toBe(0);
  });
});
