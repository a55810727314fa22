import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { HostStatisticView } from '../host.contract';
import type { HostStatisticParams } from '../host.dto';
import { capacitySql } from '../../../platform/domain/capacity';

export class GetHostStatisticQuery extends Query<HostStatisticView> {
  constructor(readonly params: HostStatisticParams) {
    super();
  }
}

const STATISTIC = `
SELECT count(*)::int AS hosts,
       count(*) FILTER (WHERE state = 1)::int AS enabled,
       count(*) FILTER (WHERE state = 0)::int AS disabled,
       count(*) FILTER (WHERE state = 2)::int AS suspended,
       count(*) FILTER (WHERE monitor_state = 1)::int AS reachable,
       count(*) FILTER (WHERE monitor_state = 0)::int AS unreachable,
       count(*) FILTER (WHERE monitor_state = 2)::int AS error,
       coalesce(sum(physical_vcpus), 0)::float8 AS physical_vcpus,
       coalesce(sum(${capacitySql('physical_vcpus', 'cpu_ratio', 'reserved_vcpus')}), 0)::float8 AS total_vcpus,
       coalesce(sum(used_vcpus), 0)::float8 AS used_vcpus,
       coalesce(sum(physical_memory), 0)::float8 AS physical_memory,
       coalesce(sum(${capacitySql('physical_memory', 'memory_ratio', 'reserved_memory')}), 0)::float8 AS total_memory,
       coalesce(sum(used_memory), 0)::float8 AS used_memory
  FROM host_rows
 WHERE ($1::uuid IS NULL OR cluster_uuid = $1) AND ($2::uuid IS NULL OR uuid = $2)`;

/** Counts and capacity of the hosts, all of them or those of a cluster, or one host. */
@QueryHandler(GetHostStatisticQuery)
export class GetHostStatisticHandler implements IQueryHandler<GetHostStatisticQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ params }: GetHostStatisticQuery): Promise<HostStatisticView> {
    const [row]: HostStatisticView[] = await this.dataSource.query(STATISTIC, [
      params.cluster_uuid ?? null,
      params.host_uuid ?? null,
    ]);
    return row; // an aggregate without GROUP BY: always one row
  }
}
