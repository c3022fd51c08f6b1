export {
  decisionDay,
  DEFAULT_FORECAST_HORIZONS,
  forecastBreaches,
  type BacklogForecast,
  type DecisionRate,
} from './backlog-forecast.js';
export { decisionWindowStart, forecastOfficeBacklog, type OfficeBacklogInput } from './office-forecast.js';
