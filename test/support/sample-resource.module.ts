import { randomUUID } from 'node:crypto';
import {
  Body,
  Controller,
  Delete,
  type DynamicModule,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Module,
  Optional,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
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

@ApiSchema({ name: 'SampleChild' })
class SampleChildView {
  @ApiProperty({ format: 'uuid' })
  uuid!: string;

  @ApiProperty({ maxLength: 64 })
  name!: string;

  @ApiProperty({ minimum: 1 })
  weight!: number;

  @ApiProperty({ format: 'uuid' })
  cluster_uuid!: string;
}

@ApiSchema({ name: 'CreateSampleChildRequest' })
class CreateSampleChildDto {
  @ApiProperty({ maxLength: 64 })
  @IsString()
  @MaxLength(64)
  name!: string;

  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  weight!: number;
}

@ApiSchema({ name: 'UpdateSampleChildRequest' })
class UpdateSampleChildDto extends PartialType(CreateSampleChildDto) {}

/**
 * A resource under a cluster, listed without paging: the console's derived pages pick the AZ and the
 * cluster from their own lists. It trusts the path (no check that the cluster exists): only the
 * console's pickers are under test.
 */
@ApiTags('sample_child')
@Controller('v1/az/:AzUuid/cluster/:ClusterUuid/sample_child')
class SampleChildController {
  private readonly children = new Map<string, SampleChildView>();

  private find(clusterUuid: string, uuid: string): SampleChildView {
    const child = this.children.get(uuid);
    if (!child || child.cluster_uuid !== clusterUuid) throw new NotFoundError(`no sample child ${uuid}`);
    return child;
  }

  @Get()
  @ApiDoc({ summary: 'list the sample children of a cluster', result: listOf(SampleChildView) })
  listSampleChild(@UuidParam('AzUuid') _azUuid: string, @UuidParam('ClusterUuid') clusterUuid: string) {
    const elements = [...this.children.values()].filter((child) => child.cluster_uuid === clusterUuid);
    return { elements, size: elements.length, total: elements.length };
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiDoc({ summary: 'create a sample child', result: { sample_child: SampleChildView } })
  createSampleChild(
    @UuidParam('AzUuid') _azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @Body() body: CreateSampleChildDto,
  ) {
    const child = { uuid: randomUUID(), ...body, cluster_uuid: clusterUuid };
    this.children.set(child.uuid, child);
    return { sample_child: child };
  }

  @Get(':SampleChildUuid')
  @ApiDoc({ summary: 'get a sample child', result: { sample_child: SampleChildView } })
  getSampleChild(
    @UuidParam('AzUuid') _azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('SampleChildUuid') uuid: string,
  ) {
    return { sample_child: this.find(clusterUuid, uuid) };
  }

  @Patch(':SampleChildUuid')
  @ApiDoc({ summary: 'update a sample child', result: { sample_child: 'ok' } })
  updateSampleChild(
    @UuidParam('AzUuid') _azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('SampleChildUuid') uuid: string,
    @Body() body: UpdateSampleChildDto,
  ) {
    this.children.set(uuid, { ...this.find(clusterUuid, uuid), ...body });
    return { sample_child: 'ok' as const };
  }

  @Delete(':SampleChildUuid')
  @ApiDoc({ summary: 'delete a sample child', result: 1 })
  deleteSampleChild(
    @UuidParam('AzUuid') _azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('SampleChildUuid') uuid: string,
  ) {
    this.children.delete(this.find(clusterUuid, uuid).uuid);
    return 1;
  }
}

@Module({ controllers: [SampleSpecController, SampleChildController] })
export class SampleResourceModule {
  /** The module with `count` rows already there (a large list for the console's paging). */
  static withRows(count: number): DynamicModule {
    return { module: SampleResourceModule, providers: [{ provide: SEED_ROWS, useValue: count }] };
  }
}
