import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'chime:public';

/** The route needs no bearer token; every other route does (the token guard is global). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
