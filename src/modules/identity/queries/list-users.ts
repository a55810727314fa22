import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { ListResult, UserView } from '@chime/contracts';
import { DataSource } from 'typeorm';
import type { Actor } from '../../../platform/http/request-context';
import { findPage, ListSpec } from '../../../platform/http/list-query';
import type { UserListParams } from '../identity.dto';
import { USER_ROWS } from '../user.store';
import { UserPolicy } from '../user.policy';
import { toUserView } from '../user.view';

export const USER_LIST: ListSpec = {
  sort: { name: 'name', role: 'role', created_at: 'createdAt' },
  text: ['name'],
  substring: { name: 'name' },
  exact: { role: 'role' },
  tiebreak: 'uuid',
};

export class ListUsersQuery extends Query<ListResult<UserView>> {
  constructor(
    readonly actor: Actor,
    readonly params: UserListParams,
  ) {
    super();
  }
}

/** Administrators see every user; a user sees only itself. */
@QueryHandler(ListUsersQuery)
export class ListUsersHandler implements IQueryHandler<ListUsersQuery> {
  constructor(private readonly dataSource: DataSource) {}

  execute({ actor, params }: ListUsersQuery): Promise<ListResult<UserView>> {
    const scope = UserPolicy.mayReadAll(actor) ? {} : { uuid: actor.uuid };
    return findPage(this.dataSource.manager, USER_ROWS, scope, params, USER_LIST, toUserView);
  }
}
