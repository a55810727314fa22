import { ArgumentMetadata, Param, ParseUUIDPipe, ValidationError, ValidationPipe } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { InvalidArgumentError } from '../errors/domain-error';

function describe(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((text) =>
      text === `property ${error.property} should not exist` ? `unknown field ${path}` : text.replace(error.property, path),
    );
    return [...own, ...describe(error.children ?? [], path)];
  });
}

/**
 * The one validation pipe: DTO classes describe every accepted field; unknown fields, wrong types and
 * a body that is not a JSON object are 400 INVALID_ARGUMENT. Nothing is converted implicitly, so
 * `"type": "1"` is as wrong as `"type": "x"`; query integers are parsed by `@QueryInt()`.
 */
export class ChimeValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new InvalidArgumentError(describe(errors).join('; ')),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && this.toValidate(metadata)) {
      if (value === undefined) value = {};
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new InvalidArgumentError('the request body must be a JSON object');
      }
    }
    return super.transform(value, metadata);
  }
}

/** Parses a query value made of digits into an integer; anything else is left for @IsInt() to refuse. */
export const QueryInt = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value));

/** A path parameter holding a UUID: 400 INVALID_ARGUMENT when it is not one. */
export const UuidParam = (name: string) =>
  Param(name, new ParseUUIDPipe({ exceptionFactory: () => new InvalidArgumentError(`${name} must be a UUID`) }));
