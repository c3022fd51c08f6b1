export * from './months.js';
export * from './entitlement-rules.js';
export * from './rerating.js';
export * from './month-amount.js';
export * from './payment-file.js';
export * from './expenditure.js';
export * from './entitlement-changes.js';
export * from './household-events.js';
