import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { ListResult } from '@chime/contracts';
import { DataSource } from 'typeorm';
import { EntityRows, type Where } from '../../../platform/database/entity-rows';
import { Ownership } from '../../../platform/domain/ownership';
import { findPage, type ListSpec } from '../../../platform/http/list-query';
import type { Actor } from '../../../platform/http/request-context';
import type { SecurityGroupView } from '../security-group.contract';
import type { SecurityGroupListParams } from '../security-group.dto';
import { SecurityGroupEntity } from '../security-group.entity';
import { visibleSecurityGroup } from '../security-group.store';
import { toSecurityGroupView } from '../security-group.view';

const SECURITY_GROUP_LIST: ListSpec = {
  sort: { name: 'name', created_at: 'createdAt', updated_at: 'updatedAt' },
  text: ['name'],
  substring: { name: 'name' },
  exact: { uuid: 'uuid' },
  tiebreak: 'uuid',
};

const SECURITY_GROUP_ROWS = new EntityRows(SecurityGroupEntity);

export class ListSecurityGroupsQuery extends Query<ListResult<SecurityGroupView>> {
  constructor(
    readonly actor: Actor,
    readonly params: SecurityGroupListParams,
  ) {
    super();
  }
}

/** A user's own groups; everyone's for administrators. */
@QueryHandler(ListSecurityGroupsQuery)
export class ListSecurityGroupsHandler implements IQueryHandler<ListSecurityGroupsQuery> {
  constructor(private readonly dataSource: DataSource) {}

  execute({ actor, params }: ListSecurityGroupsQuery): Promise<ListResult<SecurityGroupView>> {
    const owner = Ownership.ownerScope(actor);
    const scope = (owner ? { userUuid: owner } : {}) as Where<SecurityGroupEntity>;
    return findPage(this.dataSource.manager, SECURITY_GROUP_ROWS, scope, params, SECURITY_GROUP_LIST, toSecurityGroupView);
  }
}

export class GetSecurityGroupQuery extends Query<SecurityGroupView> {
  constructor(
    readonly actor: Actor,
    readonly uuid: string,
  ) {
    super();
  }
}

@QueryHandler(GetSecurityGroupQuery)
export class GetSecurityGroupHandler implements IQueryHandler<GetSecurityGroupQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ actor, uuid }: GetSecurityGroupQuery): Promise<SecurityGroupView> {
    return toSecurityGroupView(await visibleSecurityGroup(this.dataSource.manager, actor, uuid));
  }
}
