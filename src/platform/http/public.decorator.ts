import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const IS_PUBLIC = 'chime:public';
/** Marks the operation for the OpenAPI document, which turns it into `security: []` (openapi.ts). */
export const PUBLIC_EXTENSION = 'x-chime-public';

/** The route needs no bearer token; every other route does (the token guard is global). */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(PUBLIC_EXTENSION, true));
