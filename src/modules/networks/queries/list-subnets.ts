import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { ListResult } from '@chime/contracts';
import { DataSource } from 'typeorm';
import { findPage, ListSpec } from '../../../platform/http/list-query';
import type { SubnetView } from '../network.contract';
import { findNetwork, type NetworkPath } from '../network.store';
import type { SubnetListParams } from '../subnet.dto';
import { SubnetEntity } from '../subnet.entity';
import { EntityRows } from '../../../platform/database/entity-rows';
import { toSubnetView } from '../subnet.view';

const SUBNET_LIST: ListSpec = {
  sort: { name: 'name', state: 'state', type: 'type', created_at: 'createdAt' },
  text: ['name'],
  substring: { name: 'name' },
  exact: { state: 'state', type: 'type' },
  tiebreak: 'uuid',
};

const SUBNET_ROWS = new EntityRows(SubnetEntity);

export class ListSubnetsQuery extends Query<ListResult<SubnetView>> {
  constructor(
    readonly path: NetworkPath,
    readonly params: SubnetListParams,
  ) {
    super();
  }
}

/** The subnets of one network; 404 when the network is not at that path. */
@QueryHandler(ListSubnetsQuery)
export class ListSubnetsHandler implements IQueryHandler<ListSubnetsQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ path, params }: ListSubnetsQuery): Promise<ListResult<SubnetView>> {
    const network = await findNetwork(this.dataSource.manager, path);
    return findPage(this.dataSource.manager, SUBNET_ROWS, { networkUuid: network.uuid }, params, SUBNET_LIST, (subnet) =>
      toSubnetView(subnet, network.name),
    );
  }
}
