import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config.js';
import { dataSourceOptions } from './data-source-options.js';

// The TypeORM CLI's data source (migration:run/revert/generate): the same options as the apps, default export only.
export default new DataSource(dataSourceOptions(loadConfig(process.env), { poolSize: 2 }));
