import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI document: operationIds are the controller method names, tags are the CLI's categories. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('ChimeStack API')
    .setDescription('Control plane of ChimeStack. Every response is `{requestId, result}` or `{requestId, error}`.')
    .setVersion('dev.0.1.1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'token from POST /v1/login' })
    .addSecurityRequirements('bearer')
    .build();
  return SwaggerModule.createDocument(app, config, { operationIdFactory: (_controller, method) => method });
}

/** Serves `/v1/openapi.json` and the interactive `/v1/docs`, both without a token. */
export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup('v1/docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'v1/openapi.json',
    raw: ['json'],
  });
}
