import { randomUUID } from 'node:crypto';
import { Body, Controller, type DynamicModule, Get, HttpCode, HttpStatus, Inject, Module, Optional, Patch, Post, Query } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiSchema, ApiTags, PartialType } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { ApiDoc, listOf } from '../../src/platform/http/api-docs';
import { ListQuery } from '../../src/platform/http/list-query';
import { UuidParam } from '../../src/platform/http/validation';
import { NotFoundError } from '../../src/platform/errors/domain-error';

/**
 * An extension module's resource as the console sees it: only through the OpenAPI document. Kept in
 * memory (no events), so that the console's derived pages can be tested without a real module.
 */
@ApiSchema({ name: 'SampleSpec' })
class SampleSpecView {
  @ApiProperty({ format: 'uuid' })
  uuid!: string;

  @ApiProperty({ maxLength: 64 })
  name!: string;

  @ApiProperty({ minimum: 1 })
  cpu!: number;

  @ApiProperty({ enum: ['small', 'large'] })
  size_class!: string;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

@ApiSchema({ name: 'CreateSampleSpecRequest' })
class CreateSampleSpecDto {
  @ApiProperty({ maxLength: 64 })
  @IsString()
  @MaxLength(64)
  name!: string;

  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  cpu!: number;

  @ApiPropertyOptional({ enum: ['small', 'large'], default: 'small' })
  @IsOptional()
  @IsIn(['small', 'large'])
  size_class?: string;
}

@ApiSchema({ name: 'UpdateSampleSpecRequest' })
class UpdateSampleSpecDto extends PartialType(CreateSampleSpecDto) {}

class SampleSpecListParams extends ListQuery(['name', 'created_at'] as const) {}

/** How many rows the module starts with (SampleResourceModule.withRows). */
const SEED_ROWS = Symbol('SEED_ROWS');

/** `count` specs named seed-0001 … , one second apart from 2020-01-01 on (older than any created in a test). */
function seedSpecs(count: number): SampleSpecView[] {
  const start = Date.parse('2020-01-01T00:00:00.000Z');
  return Array.from({ length: count }, (_, index) => ({
    uuid: randomUUID(),
    name: `seed-${String(index + 1).padStart(4, '0')}`,
    cpu: (index % 16) + 1,
    size_class: index % 2 === 0 ? 'small' : 'large',
    created_at: new Date(start + index * 1000).toISOString(),
  }));
}

@ApiTags('sample_spec')
@Controller('v1/sample_spec')
class SampleSpecController {
  private readonly specs: Map<string, SampleSpecView>;

  constructor(@Optional() @Inject(SEED_ROWS) seedRows = 0) {
    this.specs = new Map(seedSpecs(seedRows).map((spec) => [spec.uuid, spec]));
  }

  @Get()
  @ApiDoc({ summary: 'list sample specs', result: listOf(SampleSpecView) })
  listSampleSpec(@Query() query: SampleSpecListParams) {
    const all = [...this.specs.values()].sort((a, b) => String(a[query.sort]).localeCompare(String(b[query.sort])));
    if (query.order === 'desc') all.reverse();
    const elements = all.slice((query.page - 1) * query.size, query.page * query.size);
    return { elements, size: elements.length, total: all.length };
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiDoc({ summary: 'create a sample spec', result: { sample_spec: SampleSpecView } })
  createSampleSpec(@Body() body: CreateSampleSpecDto) {
    const spec = { uuid: randomUUID(), size_class: 'small', ...body, created_at: new Date().toISOString() };
    this.specs.set(spec.uuid, spec);
    return { sample_spec: spec };
  }

  @Get(':SampleSpecUuid')
  @ApiDoc({ summary: 'get a sample spec', result: { sample_spec: SampleSpecView } })
  getSampleSpec(@UuidParam('SampleSpecUuid') uuid: string) {
    const spec = this.specs.get(uuid);
    if (!spec) throw new NotFoundError(`no sample spec ${uuid}`);
    return { sample_spec: spec };
  }

  @Patch(':SampleSpecUuid')
  @ApiDoc({ summary: 'update a sample spec', result: { sample_spec: 'ok' } })
  updateSampleSpec(@UuidParam('SampleSpecUuid') uuid: string, @Body() body: UpdateSampleSpecDto) {
    const spec = this.getSampleSpec(uuid).sample_spec;
    this.specs.set(uuid, { ...spec, ...body });
    return { sample_spec: 'ok' as const };
  }
}

@Module({ controllers: [SampleSpecController] })
export class SampleResourceModule {
  /** The module with `count` rows already there (a large list for the console's paging). */
  static withRows(count: number): DynamicModule {
    return { module: SampleResourceModule, providers: [{ provide: SEED_ROWS, useValue: count }] };
  }
}
