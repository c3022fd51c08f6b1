import { closeOnSignals, loadConfig } from '@minsheng/infra';
import { createGateway } from './gateway.js';

const config = loadConfig(process.env);
const app = await createGateway(config);
closeOnSignals('gateway', app, config.shutdownTimeoutMs);
await app.listen({ host: config.gateway.host, port: config.gateway.port });
const base = config.gateway.publicBaseUrl;
console.log(
  `minsheng gateway listening: API ${base}/v1  console ${base}/console/  docs ${base}/docs  health ${base}/health/ready`,
);
