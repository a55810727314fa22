import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { UserView } from '@chime/contracts';
import { DataSource } from 'typeorm';
import type { Actor } from '../../../platform/http/request-context';
import { UserPolicy } from '../user.policy';
import { findUser } from '../user.store';
import { toUserView } from '../user.view';

export class GetUserQuery extends Query<UserView> {
  constructor(
    readonly actor: Actor,
    readonly uuid: string,
  ) {
    super();
  }
}

@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ actor, uuid }: GetUserQuery): Promise<UserView> {
    UserPolicy.assertMayRead(actor, uuid);
    return toUserView(await findUser(this.dataSource.manager, uuid));
  }
}
