export type { Fen, Rounding } from './fen.js';
export {
  MONEY_ERRORS,
  ROUNDINGS,
  applyRatio,
  fen,
  formatYuan,
  multiplyFen,
  nonNegativeFen,
  subtractFen,
  sumFen,
  yuanToFen,
} from './fen.js';
