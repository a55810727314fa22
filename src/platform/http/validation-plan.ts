import { TransformationType } from 'class-transformer';
import { defaultMetadataStorage as transformRules } from 'class-transformer/cjs/storage';
import type { TransformFnParams } from 'class-transformer';
import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';
import type { ConstraintMetadata } from 'class-validator/types/metadata/ConstraintMetadata';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

type Dto = new () => Record<string, unknown>;

interface PropertyPlan {
  /** class-transformer's `@Transform` functions of the property, for plain → class, in its order. */
  transforms: ((params: TransformFnParams) => unknown)[];
  /** `@IsOptional`/`@ValidateIf`: the rules below apply only when all of these hold. */
  conditions: ((object: object, value: unknown) => boolean)[];
  /** The property's rules, each with the constraint class-validator checks it by. */
  rules: { metadata: ValidationMetadata; constraints: ConstraintMetadata[] }[];
}

interface Plan {
  /** The rules the plan was made from: class-validator's own list, whose identity changes when a rule is added. */
  source: ValidationMetadata[];
  properties: Map<string, PropertyPlan>;
}

const TRANSFORM_OPTIONS = { enableImplicitConversion: false };

/**
 * The accepting half of the validation pipe (validation.ts), for DTO classes whose rules are all of
 * the kinds it takes: class-validator's own constraints (sync), `@IsOptional`/`@ValidateIf`, and
 * class-transformer's `@Transform` — no nesting, `each`, groups, `@Type`, `@Expose` or `@Exclude`.
 *
 * A value that is a plain object of plain values, with only known fields and every rule of the
 * class satisfied, becomes the DTO exactly as class-transformer and class-validator make it: a new
 * instance (its defaults), each given field through its transforms, then the same constraint
 * functions called with the same arguments. Anything else — an unknown field, a nested value, a
 * rule that fails, a class with other kinds of rules — returns undefined, and the pipe takes
 * class-validator's whole way, which gives the error and its message. So the plan decides nothing
 * the libraries would not: it only skips their general machinery (metadata grouping, error objects,
 * the whitelisting pass, three promises) on the way most requests take, where it was most of a
 * list request's validation (`npm run bench:http`). validation-plan.spec.ts holds it to the
 * libraries' answers for every DTO class of the server.
 */
export class ValidationPlans {
  private readonly plans = new WeakMap<Dto, Plan | null>();
  private readonly storage = getMetadataStorage();

  /** The DTO `value` becomes, or undefined when class-validator's whole way must decide. */
  accept(metatype: Dto, value: unknown): object | undefined {
    if (!isPlainRecord(value)) return undefined;
    const plan = this.planOf(metatype);
    if (!plan) return undefined;
    const entity = new metatype();
    for (const key of Object.keys(value)) {
      const property = plan.properties.get(key);
      let field = value[key];
      if (!property || (typeof field === 'object' && field !== null) || typeof field === 'function') return undefined;
      for (const transform of property.transforms) {
        field = transform({
          value: field,
          key,
          obj: value,
          type: TransformationType.PLAIN_TO_CLASS,
          options: TRANSFORM_OPTIONS,
        });
      }
      entity[key] = field;
    }
    for (const key of Object.keys(entity)) if (!plan.properties.has(key)) return undefined;
    for (const [property, { conditions, rules }] of plan.properties) {
      const field = entity[property];
      let applies = true;
      for (const condition of conditions) applies = condition(entity, field) && applies;
      if (!applies) continue;
      for (const { metadata, constraints } of rules) {
        if (metadata.validateIf && !metadata.validateIf(entity, field)) continue;
        const args: ValidationArguments = {
          targetName: metatype.name,
          property,
          object: entity,
          value: field,
          constraints: metadata.constraints,
        };
        for (const constraint of constraints) {
          const valid = (constraint.instance as { validate(value: unknown, args: ValidationArguments): unknown }).validate(
            field,
            args,
          );
          if (!valid || typeof (valid as { then?: unknown }).then === 'function') return undefined;
        }
      }
    }
    return entity;
  }

  private planOf(metatype: Dto): Plan | null {
    // As class-validator asks for them under the pipe's options: no schema, groups or `always`.
    const source = this.storage.getTargetValidationMetadatas(metatype, undefined as unknown as string, false, false, undefined);
    const known = this.plans.get(metatype);
    if (known !== undefined && (known === null || known.source === source)) return known;
    const plan = makePlan(metatype, source, this.storage);
    this.plans.set(metatype, plan);
    return plan;
  }
}

function makePlan(metatype: Dto, source: ValidationMetadata[], storage: ReturnType<typeof getMetadataStorage>): Plan | null {
  if (source.length === 0) return null; // forbidUnknownValues: class-validator refuses such a value
  if (transformRules.getStrategy(metatype) !== 'none') return null;
  const properties = new Map<string, PropertyPlan>();
  for (const metadata of source) {
    const name = metadata.propertyName;
    let property = properties.get(name);
    if (!property) {
      if (transformRules.findTypeMetadata(metatype, name) || hasAccessor(metatype, name)) return null;
      const transforms = transformRules.findTransformMetadatas(metatype, name, TransformationType.PLAIN_TO_CLASS);
      if (
        transforms.some(({ options }) => options?.groups?.length || options?.since !== undefined || options?.until !== undefined)
      ) {
        return null;
      }
      property = { transforms: transforms.map(({ transformFn }) => transformFn), conditions: [], rules: [] };
      properties.set(name, property);
    }
    if (metadata.each || metadata.groups?.length) return null;
    if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION) {
      property.conditions.push(metadata.constraints[0] as PropertyPlan['conditions'][number]);
    } else if (metadata.type === ValidationTypes.CUSTOM_VALIDATION && metadata.constraintCls) {
      const constraints = storage.getTargetValidatorConstraints(metadata.constraintCls);
      if (constraints.length === 0 || constraints.some((constraint) => constraint.async)) return null;
      property.rules.push({ metadata, constraints });
    } else if (metadata.type !== ValidationTypes.WHITELIST) {
      return null;
    }
  }
  if (transformRules.getExposedMetadatas(metatype).length > 0 || transformRules.getExcludedMetadatas(metatype).length > 0)
    return null;
  return { source, properties };
}

/**
 * A JSON object, or a parsed query string (node:querystring's objects inherit from an empty object
 * without a prototype): not an array, a class instance or a binary value.
 */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype === null || prototype === Object.prototype) return true;
  return Object.getPrototypeOf(prototype) === null && Reflect.ownKeys(prototype).length === 0;
}

/** class-transformer skips a field whose name is an accessor or method of the class. */
function hasAccessor(metatype: Dto, name: string): boolean {
  for (
    let prototype = metatype.prototype as object | null;
    prototype && prototype !== Object.prototype;
    prototype = Object.getPrototypeOf(prototype) as object | null
  ) {
    if (Object.getOwnPropertyDescriptor(prototype, name)) return true;
  }
  return false;
}
