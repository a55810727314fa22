import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const IS_PUBLIC = 'chime:public';
/** Marks the operation for the OpenAPI document, which turns it into `security: []` (openapi.ts). */
export const PUBLIC_EXTENSION = 'x-chime-public';
/** Names the operation's own security scheme for the OpenAPI document (openapi.ts). */
export const SECURED_BY_EXTENSION = 'x-chime-secured-by';

/** The route needs no bearer token; every other route does (the token guard is global). */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(PUBLIC_EXTENSION, true));

/**
 * The route is not for users: a guard of its own authenticates it under another security scheme
 * (registered with describeSecurityScheme, e.g. node agents' credentials), so the user token guard
 * lets it through and the document names that scheme instead of the bearer token.
 */
export const SecuredBy = (scheme: string) =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(SECURED_BY_EXTENSION, scheme));
