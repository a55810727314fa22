import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Role, type ListResult } from '@chime/contracts';
import { ApiDoc, listOf } from '../../platform/http/api-docs';
import { describeApiTag } from '../../platform/http/openapi';
import { MinRole } from '../../platform/http/roles';
import { UuidParam } from '../../platform/http/validation';
import { CreateStoragePoolCommand } from './commands/create-storage-pool';
import { DeleteStoragePoolCommand } from './commands/delete-storage-pool';
import { UpdateStoragePoolCommand } from './commands/update-storage-pool';
import { GetStoragePoolQuery, GetStoragePoolStatisticQuery, ListStoragePoolsQuery } from './queries/storage-pool-queries';
import type { StoragePoolStatisticView, StoragePoolView } from './storage.contract';
import {
  AllStoragePoolListParams,
  CreateStoragePoolDto,
  StoragePoolListParams,
  StoragePoolStatisticParams,
  UpdateStoragePoolDto,
} from './storage.dto';
import { StoragePoolStatisticSchema, StoragePoolViewSchema } from './storage.schemas';
import type { Origin } from '@chime/event-log';
import { RequestOrigin } from '../../platform/http/request-origin.decorator';

describeApiTag(
  'storage_pool',
  "Storage pools of a cluster (0 local: each host's own disk, 1 iSCSI, 2 Ceph) and their capacity: " +
    'everyone reads, administrators write (at most 16 pools per cluster). Volumes claim their size from a pool; ' +
    'a claim never takes a pool above its total_size.',
);

/** A cluster's storage pools: everyone reads, administrators write. */
@ApiTags('storage_pool')
@Controller('v1/az/:AzUuid/cluster/:ClusterUuid/storage_pool')
export class StoragePoolsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiDoc({ summary: 'list storage pools', result: listOf(StoragePoolViewSchema) })
  listStoragePool(
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @Query() query: StoragePoolListParams,
  ): Promise<ListResult<StoragePoolView>> {
    return this.queries.execute(new ListStoragePoolsQuery(query, { azUuid, clusterUuid }));
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'create a storage pool',
    description:
      'The cluster must be enabled; at most 16 pools per cluster; names are unique in the cluster regardless of case. ' +
      '`total_size` = floor(`physical_size` × `size_ratio`) − `reserved_size` (`size_ratio` 0.01–100, default 1; ' +
      '`reserved_size` at most `physical_size`). `meta` is a JSON object as text whose values are strings; ' +
      'agents read `backend_path` (default /chime/backend) and `image_cache_path` (default /chime/cache) from it.',
    result: { storage_pool: StoragePoolViewSchema },
  })
  async createStoragePool(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @Body() body: CreateStoragePoolDto,
  ): Promise<{ storage_pool: StoragePoolView }> {
    return { storage_pool: await this.commands.execute(new CreateStoragePoolCommand(origin, azUuid, clusterUuid, body)) };
  }

  @Get(':StoragePoolUuid')
  @ApiDoc({ summary: "get a storage pool's detailed information", result: { storage_pool: StoragePoolViewSchema } })
  async getStoragePool(
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('StoragePoolUuid') poolUuid: string,
  ): Promise<{ storage_pool: StoragePoolView }> {
    return { storage_pool: await this.queries.execute(new GetStoragePoolQuery({ azUuid, clusterUuid, poolUuid })) };
  }

  @Patch(':StoragePoolUuid')
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'update a storage pool',
    description:
      'Fields left out or sent as `null` stay. The new `total_size` may not fall below what volumes claim ' +
      '(400 FAILED_PRECONDITION naming both); `type` changes only while the pool holds no volume.',
    result: { storage_pool: 'ok' },
  })
  async updateStoragePool(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('StoragePoolUuid') poolUuid: string,
    @Body() body: UpdateStoragePoolDto,
  ): Promise<{ storage_pool: 'ok' }> {
    return {
      storage_pool: await this.commands.execute(new UpdateStoragePoolCommand(origin, { azUuid, clusterUuid, poolUuid }, body)),
    };
  }

  @Delete(':StoragePoolUuid')
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'delete a storage pool',
    description:
      'A pool holding volumes or backing volume specifications is not deleted (400 FAILED_PRECONDITION naming how many).',
    result: 1,
  })
  deleteStoragePool(
    @RequestOrigin() origin: Origin,
    @UuidParam('AzUuid') azUuid: string,
    @UuidParam('ClusterUuid') clusterUuid: string,
    @UuidParam('StoragePoolUuid') poolUuid: string,
  ): Promise<1> {
    return this.commands.execute(new DeleteStoragePoolCommand(origin, { azUuid, clusterUuid, poolUuid }));
  }
}

/** Every cluster's pools, and their statistic. */
@ApiTags('storage_pool')
@Controller('v1')
export class AllStoragePoolsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('storage_pool')
  @ApiDoc({
    summary: 'list all storage pools',
    description: 'The pools of every cluster.',
    result: listOf(StoragePoolViewSchema),
  })
  listStoragePoolAll(@Query() query: AllStoragePoolListParams): Promise<ListResult<StoragePoolView>> {
    return this.queries.execute(new ListStoragePoolsQuery(query));
  }

  @Get('storage_pool_statistic')
  @ApiDoc({
    summary: "get a storage pool's usage statistical information",
    description: "Counts and summed sizes (bytes) of every pool, of a cluster's, or of one pool.",
    result: { storage_pool_statistic: StoragePoolStatisticSchema },
  })
  async getStoragePoolStatistic(
    @Query() query: StoragePoolStatisticParams,
  ): Promise<{ storage_pool_statistic: StoragePoolStatisticView }> {
    return { storage_pool_statistic: await this.queries.execute(new GetStoragePoolStatisticQuery(query)) };
  }
}
