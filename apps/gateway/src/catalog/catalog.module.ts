import { Module } from '@nestjs/common';
import { CatalogParametersController } from './catalog-parameters.controller.js';
import { CatalogReader } from './catalog-reader.js';
import { CatalogController } from './catalog.controller.js';
import { PublishParameter } from './publish-parameter.js';

const controllers = [CatalogController, CatalogParametersController];
const providers = [CatalogReader, PublishParameter];

/** The public catalog API and operator publishing of standard parameters. */
@Module({ controllers, providers })
export class CatalogModule {}
