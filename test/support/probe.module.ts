import { Body, Controller, Get, HttpCode, HttpStatus, Module, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { ListQuery } from '../../src/platform/http/list-query';
import { Public } from '../../src/platform/http/public.decorator';
import { UuidParam } from '../../src/platform/http/validation';

class ProbeBody {
  @IsString()
  @MaxLength(8)
  name!: string;

  @IsOptional()
  @IsInt()
  count?: number;
}

class ProbeListQuery extends ListQuery(['name', 'created_at'] as const) {
  @IsOptional()
  @IsString()
  name?: string;
}

/** Routes that exist only in tests, to drive the platform's error paths through real HTTP. */
@ApiExcludeController()
@Public()
@Controller('v1/probe')
class ProbeController {
  constructor(private readonly dataSource: DataSource) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  echo(@Body() body: ProbeBody) {
    return { body };
  }

  @Get('list')
  list(@Query() query: ProbeListQuery) {
    return { query };
  }

  @Get('uuid/:Id')
  uuid(@UuidParam('Id') id: string) {
    return { id };
  }

  @Get('fail')
  fail(): never {
    throw new Error('secret detail /etc/passwd at ProbeController.fail');
  }

  @Get('sql')
  async sql() {
    return this.dataSource.query("SELECT * FROM table_that_does_not_exist WHERE password = 'hunter2'");
  }

  /** An error that throws on every look at it: the error filter itself fails on it. */
  @Get('hostile')
  hostile(): never {
    throw new Proxy(new Error('hostile'), {
      get() {
        throw new Error('looked at');
      },
      getPrototypeOf() {
        throw new Error('looked at');
      },
    });
  }

  @Get('db')
  async db() {
    const rows: { one: number }[] = await this.dataSource.query('SELECT 1 AS one');
    return { one: rows[0].one };
  }
}

@Module({ controllers: [ProbeController] })
export class ProbeModule {}
