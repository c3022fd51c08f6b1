import { loadConfig } from '@minsheng/infra';
import { createWorker } from './worker.js';

const config = loadConfig(process.env);
await createWorker(config);
console.log(`minsheng worker running (queue prefix ${config.redis.queuePrefix})`);
