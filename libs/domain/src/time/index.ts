export { type Clock, ManualClock, ShiftedClock, todayOn } from './clock.js';
