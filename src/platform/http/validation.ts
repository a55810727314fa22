import { applyDecorators, ArgumentMetadata, Param, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { getMetadataStorage, IsDate, Matches } from 'class-validator';
import type { MetadataStorage } from 'class-validator/types/metadata/MetadataStorage';
import { InvalidArgumentError } from '../errors/domain-error';
import { ValidationPlans } from './validation-plan';

function describe(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((text) =>
      text === `property ${error.property} should not exist` ? `unknown field ${path}` : text.replace(error.property, path),
    );
    return [...own, ...describe(error.children ?? [], path)];
  });
}

type RulesOf = MetadataStorage['getTargetValidationMetadatas'];
const rulesCached = new WeakSet<MetadataStorage>();

/**
 * class-validator works out a class's rules anew on every validation, by walking every class it
 * knows for inherited rules (`getTargetValidationMetadatas`: O(DTO classes) per call, the largest
 * part of a list request's validation in `npm run bench:http`). The rules are the classes'
 * decorators: this keeps the answer per class and options, and forgets every answer whenever a rule
 * is added (a class defined later), so what it returns is always what class-validator would.
 */
export function cacheValidationRules(storage: MetadataStorage = getMetadataStorage()): void {
  if (rulesCached.has(storage)) return;
  rulesCached.add(storage);
  const rulesOf: RulesOf = storage.getTargetValidationMetadatas.bind(storage);
  const addRule = storage.addValidationMetadata.bind(storage);
  const answers = new Map<unknown, Map<string, ReturnType<RulesOf>>>();
  storage.addValidationMetadata = (metadata) => {
    answers.clear();
    addRule(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strict, groups) => {
    const options = `${schema}\u0000${always}\u0000${strict}\u0000${groups?.join('\u0000') ?? '-'}`;
    let ofTarget = answers.get(target);
    if (!ofTarget) answers.set(target, (ofTarget = new Map()));
    let rules = ofTarget.get(options);
    if (!rules) ofTarget.set(options, (rules = rulesOf(target, schema, always, strict, groups)));
    return rules;
  };
}

/**
 * The one validation pipe: DTO classes describe every accepted field; unknown fields, wrong types and
 * a body that is not a JSON object are 400 INVALID_ARGUMENT. Nothing is converted implicitly, so
 * `"type": "1"` is as wrong as `"type": "x"`; query integers are parsed by `@QueryInt()`.
 */
export class ChimeValidationPipe extends ValidationPipe {
  private readonly plans = new ValidationPlans();

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
    cacheValidationRules();
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = metadata.metatype && this.toValidate(metadata) ? metadata.metatype : undefined;
    if (!dto) return super.transform(value, metadata);
    if (metadata.type === 'body') {
      if (value === undefined) value = {};
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new InvalidArgumentError('the request body must be a JSON object');
      }
      value = withoutNulls(value as Record<string, unknown>, dto);
    }
    return this.plans.accept(dto as new () => Record<string, unknown>, value) ?? super.transform(value, metadata);
  }
}

const NULLABLE_FIELDS = 'chime:nullable-fields';

/**
 * A body field for which `null` is a value of its own (e.g. "no default AZ"). Everywhere else a
 * `null` field means "not given", as ChimeStack clients send it: unchanged in a PATCH, the default
 * in a POST (API.md §2.2).
 */
export const Nullable = (): PropertyDecorator => (target, key) => {
  const fields: string[] = Reflect.getMetadata(NULLABLE_FIELDS, target) ?? [];
  Reflect.defineMetadata(NULLABLE_FIELDS, [...fields, String(key)], target);
};

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
function withoutNulls(body: Record<string, unknown>, dto: Function): Record<string, unknown> {
  const nullable: string[] = Reflect.getMetadata(NULLABLE_FIELDS, dto.prototype as object) ?? [];
  return Object.fromEntries(Object.entries(body).filter(([key, value]) => value !== null || nullable.includes(key)));
}

/** Parses a query value made of digits into an integer; anything else is left for @IsInt() to refuse. */
export const QueryInt = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value));

/**
 * A UUID of any version and variant, in either case: ids are kept as they come, and ChimeStack's
 * include time-based ones (v1, e.g. 4d71a3b1-2274-11ef-beaf-000c29d35f40). PostgreSQL's uuid type
 * takes exactly these.
 */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A body or query field holding a UUID (any version). */
export const IsAnyUuid = (message: string) => Matches(UUID, { message });

class UuidPipe implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}

  transform(value: string): string {
    if (!UUID.test(value)) throw new InvalidArgumentError(`${this.name} must be a UUID`);
    return value;
  }
}

/** A path parameter holding a UUID (any version): 400 INVALID_ARGUMENT when it is not one. */
export const UuidParam = (name: string) => Param(name, new UuidPipe(name));

const INT64_MAX = 2n ** 63n - 1n;

/** A positive int64 written as plain digits (no sign, exponent, blanks or leading zeros), kept as a string. */
class PositiveIdPipe implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}

  transform(value: string): string {
    if (!/^[1-9]\d{0,18}$/.test(value) || BigInt(value) > INT64_MAX) {
      throw new InvalidArgumentError(`${this.name} must be a positive integer of at most 19 digits`);
    }
    return value;
  }
}

/** A path parameter holding a bigint id, e.g. an operation-log entry's: 400 INVALID_ARGUMENT unless it is one. */
export const IdParam = (name: string) => Param(name, new PositiveIdPipe(name));

const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/i;

/** An RFC 3339 time on a date that exists (no 30 February: `Date` would roll it over into March). */
function isRealTime(text: string): boolean {
  const match = RFC3339.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A query value holding an RFC 3339 time (`2024-04-17T08:46:42Z`, any offset), parsed into a Date. */
export const QueryTime = () =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' && isRealTime(value) ? new Date(value) : value)),
    IsDate({ message: '$property must be an RFC 3339 time on a real date, e.g. 2024-04-17T08:46:42Z' }),
  );
