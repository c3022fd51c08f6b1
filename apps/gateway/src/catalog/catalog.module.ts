import { Module } from '@nestjs/common';
import { PublishedParametersModule } from '@minsheng/infra';
import { CatalogParametersController } from './catalog-parameters.controller.js';
import { CatalogReader } from './catalog-reader.js';
import { CatalogController } from './catalog.controller.js';
import { PublishParameter } from './publish-parameter.js';

const controllers = [CatalogController, CatalogParametersController];
const providers = [CatalogReader, PublishParameter];

/** The public catalog API and operator publishing of standard parameters. */
@Module({ imports: [PublishedParametersModule], controllers, providers })
export class CatalogModule {}
