import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { SubnetView } from '../network.contract';
import { findNetwork, findSubnet, type NetworkPath } from '../network.store';
import { toSubnetView } from '../subnet.view';

export class GetSubnetQuery extends Query<SubnetView> {
  constructor(
    readonly path: NetworkPath,
    readonly uuid: string,
  ) {
    super();
  }
}

@QueryHandler(GetSubnetQuery)
export class GetSubnetHandler implements IQueryHandler<GetSubnetQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ path, uuid }: GetSubnetQuery): Promise<SubnetView> {
    const network = await findNetwork(this.dataSource.manager, path);
    return toSubnetView(await findSubnet(this.dataSource.manager, network.uuid, uuid), network.name);
  }
}
