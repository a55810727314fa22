import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, HttpStatus, Module, Patch, Post, Query } from '@nestjs/common';
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

@ApiTags('sample_spec')
@Controller('v1/sample_spec')
class SampleSpecController {
  private readonly specs = new Map<string, SampleSpecView>();

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
export class SampleResourceModule {}
