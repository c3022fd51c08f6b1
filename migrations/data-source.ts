import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions, loadConfig } from '@minsheng/infra';
import { MIGRATIONS } from './index.js';

// The TypeORM CLI's data source (migration:run/revert/generate): the apps' options plus the migrations, default
// export only.
export default new DataSource(dataSourceOptions(loadConfig(process.env), { poolSize: 2, migrations: MIGRATIONS }));
