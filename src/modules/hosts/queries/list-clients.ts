import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { ListResult } from '@chime/contracts';
import { DataSource } from 'typeorm';
import { findPage, type ListSpec } from '../../../platform/http/list-query';
import { ClientState, type ClientView } from '../host.contract';
import type { ClientListParams } from '../host.dto';
import { CLIENT_ROWS } from '../host.store';
import { toClientView } from '../host.view';

const CLIENT_LIST: ListSpec = {
  sort: { name: 'name', state: 'state', monitor_state: 'monitorState', created_at: 'createdAt', heartbeat_at: 'heartbeatAt' },
  text: ['name'],
  substring: { name: 'name' },
  exact: { state: 'state', monitor_state: 'monitorState', rack_name: 'rackName', manage_ip: 'manageIp', uuid: 'uuid' },
  tiebreak: 'uuid',
};

export class ListClientsQuery extends Query<ListResult<ClientView>> {
  constructor(readonly params: ClientListParams) {
    super();
  }
}

/** The nodes whose agents enrolled: by default those not adopted yet (the ones to adopt), with `all=1` every one. */
@QueryHandler(ListClientsQuery)
export class ListClientsHandler implements IQueryHandler<ListClientsQuery> {
  constructor(private readonly dataSource: DataSource) {}

  execute({ params }: ListClientsQuery): Promise<ListResult<ClientView>> {
    const scope = params.all === 1 || params.state !== undefined ? {} : { state: ClientState.Free };
    return findPage(this.dataSource.manager, CLIENT_ROWS, scope, params, CLIENT_LIST, toClientView);
  }
}
