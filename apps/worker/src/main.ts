import { closeOnSignals, loadConfig } from '@minsheng/infra';
import { createWorker } from './worker.js';

const config = loadConfig(process.env);
const app = await createWorker(config);
closeOnSignals('worker', app, config.shutdownTimeoutMs);
console.log(`minsheng worker running (queue prefix ${config.redis.queuePrefix})`);
