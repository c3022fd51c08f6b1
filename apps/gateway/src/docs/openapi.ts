import { type INestApplication } from '@nestjs/common';
import { type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { buildOpenApiDocument } from './openapi-document.js';

/**
 * The API contract at /docs (UI) and /docs/openapi.json: the same document as the committed `openapi.json`, built from
 * the controllers and the zod schemas that validate requests (docs/api.md "The API contract").
 */
export function mountOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument({ complete: false }) as unknown as OpenAPIObject, {
    jsonDocumentUrl: 'docs/openapi.json',
  });
}
