/** Public surface of libs/domain: pure TypeScript, no framework imports (checked by dependency-cruiser). */
export * from './errors/domain-error.js';
export * from './errors/error-catalogue.js';
export * from './catalog/index.js';
export * from './calendar/index.js';
export * from './identity/index.js';
export * from './money/index.js';
export * from './household/index.js';
export * from './amounts/index.js';
export * from './forecast/index.js';
export * from './routing/index.js';
export * from './time/index.js';
export * from './satisfaction/satisfaction.js';
export * from './entitlements/index.js';
