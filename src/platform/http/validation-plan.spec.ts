import '../../app.module';
import { parse } from 'node:querystring';
import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { getMetadataStorage, IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { ListQuery } from './list-query';
import { ChimeValidationPipe } from './validation';
import { ValidationPlans } from './validation-plan';

type Dto = new () => Record<string, unknown>;

/** class-validator's and class-transformer's whole way: the pipe as Nest ships it, with the server's options. */
const pipe = new ChimeValidationPipe();
async function wholeWay(metatype: Dto, value: unknown): Promise<{ dto: unknown } | { error: string }> {
  const metadata: ArgumentMetadata = { type: 'query', metatype };
  try {
    return { dto: await ValidationPipe.prototype.transform.call(pipe, value, metadata) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Every DTO class the server's modules define. */
function dtoClasses(): Dto[] {
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<unknown, unknown> };
  return [...storage.validationMetadatas.keys()].filter((target): target is Dto => typeof target === 'function');
}

/** Values a field may come with: query strings, JSON scalars, and every value an `@IsIn`/`@IsEnum` of the class names. */
function samplesOf(metatype: Dto): { fields: string[]; values: unknown[] } {
  const rules = getMetadataStorage().getTargetValidationMetadatas(metatype, undefined as unknown as string, false, false);
  const named = rules.flatMap((rule) =>
    (rule.constraints ?? []).flatMap((constraint: unknown) =>
      Array.isArray(constraint) ? constraint : constraint && typeof constraint === 'object' ? Object.values(constraint) : [],
    ),
  );
  const values = [
    ...new Set([
      ...['1', '10', '0', '-3', '1.5', '1e3', 'abc', '', ' ', 'asc', 'desc', 'name', 'created_at', 'a'.repeat(300)],
      ...['4d71a3b1-2274-11ef-beaf-000c29d35f40', '2024-04-17T08:46:42Z', '2024-02-30T00:00:00Z', 'true', 'x86_64'],
      ...[1, 0, -1, 2.5, 1000, 1001, 2 ** 40, true, false, null],
      ...named.filter((value) => value === null || ['string', 'number', 'boolean'].includes(typeof value)),
      ...named.filter((value) => typeof value !== 'object').map(String),
    ]),
  ];
  return { fields: [...new Set(rules.map((rule) => rule.propertyName))], values };
}

/** A small deterministic generator, so that a failure names an input that comes again. */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** A resource's list query, as the modules write them. */
class ZoneListParams extends ListQuery(['created_at', 'name'] as const) {
  @IsOptional()
  @IsString()
  name?: string;
}

describe('ValidationPlans', () => {
  const plans = new ValidationPlans();

  it('accepts only what class-validator accepts, as the very DTO class-transformer makes, for every DTO class of the server', async () => {
    const next = random(21);
    const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)];
    let planned = 0;
    let accepted = 0;
    let tried = 0;
    for (const metatype of dtoClasses()) {
      const { fields, values } = samplesOf(metatype);
      const inputs: Record<string, unknown>[] = [{}, { unknown_field: '1' }];
      for (const field of fields) for (const value of values) inputs.push({ [field]: value });
      for (let i = 0; i < 300; i++) {
        const input: Record<string, unknown> = {};
        for (let n = 1 + Math.floor(next() * 4); n > 0; n--) input[pick(fields)] = pick(values);
        inputs.push(input);
      }
      let acceptedHere = 0;
      for (const input of inputs) {
        const fast = plans.accept(metatype, { ...input });
        const whole = await wholeWay(metatype, { ...input });
        tried++;
        if (fast === undefined) continue;
        acceptedHere++;
        if (!('dto' in whole))
          throw new Error(`${metatype.name} ${JSON.stringify(input)}: accepted, but class-validator says ${whole.error}`);
        expect({ metatype: metatype.name, input, dto: fast }).toStrictEqual({ metatype: metatype.name, input, dto: whole.dto });
      }
      if (acceptedHere > 0) planned++;
      accepted += acceptedHere;
    }
    // Not vacuous: most DTO classes take the accepting way, for a good part of the inputs.
    expect(planned).toBeGreaterThan(dtoClasses().length / 2);
    expect(accepted).toBeGreaterThan(tried / 20);
  });

  it('takes a list query as the pipe would, defaults and parsed integers included', async () => {
    const dto = plans.accept(ZoneListParams as unknown as Dto, { size: '10', name: 'zone' });
    expect(dto).toBeInstanceOf(ZoneListParams);
    expect(dto).toStrictEqual(
      ((await wholeWay(ZoneListParams as unknown as Dto, { size: '10', name: 'zone' })) as { dto: unknown }).dto,
    );
    expect(dto).toMatchObject({ page: 1, size: 10, name: 'zone' });
    // As Express hands it over: node:querystring's object.
    expect(plans.accept(ZoneListParams as unknown as Dto, parse('size=10&name=zone'))).toStrictEqual(dto);
  });

  it('leaves to class-validator a refused rule, an unknown field, a nested value and a value that is not a plain object', () => {
    const list = ZoneListParams as unknown as Dto;
    expect(plans.accept(list, { size: '0' })).toBeUndefined();
    expect(plans.accept(list, { size: 'ten' })).toBeUndefined();
    expect(plans.accept(list, { sizes: '10' })).toBeUndefined();
    expect(plans.accept(list, { name: ['a', 'b'] })).toBeUndefined();
    expect(plans.accept(list, { name: { a: 1 } })).toBeUndefined();
    expect(plans.accept(list, [])).toBeUndefined();
    expect(plans.accept(list, 'size=10')).toBeUndefined();
    expect(plans.accept(list, new (class Query {})())).toBeUndefined();
  });

  it('makes no plan for a class with rules it does not take, such as a nested DTO', () => {
    class Inner {
      @IsInt()
      n = 1;
    }
    class Outer {
      @IsOptional()
      @Min(1)
      count?: number;

      @ValidateNested()
      inner?: Inner;
    }
    expect(plans.accept(Outer as unknown as Dto, { count: 2 })).toBeUndefined();
  });
});
