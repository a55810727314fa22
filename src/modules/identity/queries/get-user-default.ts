import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { UserDefaultView } from '@chime/contracts';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../../../platform/errors/domain-error';
import type { Actor } from '../../../platform/http/request-context';
import { ClusterPort } from '../../clusters/cluster.port';
import { AzPort } from '../../zones/az.port';
import { UserPolicy } from '../user.policy';
import { findUser } from '../user.store';

export class GetUserDefaultQuery extends Query<UserDefaultView> {
  constructor(
    readonly actor: Actor,
    readonly uuid: string,
  ) {
    super();
  }
}

/** A default whose AZ or cluster has since been deleted reads as null. */
@QueryHandler(GetUserDefaultQuery)
export class GetUserDefaultHandler implements IQueryHandler<GetUserDefaultQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly zones: AzPort,
    private readonly clusters: ClusterPort,
  ) {}

  async execute({ actor, uuid }: GetUserDefaultQuery): Promise<UserDefaultView> {
    UserPolicy.assertMayUseDefaults(actor, uuid);
    const user = await findUser(this.dataSource.manager, uuid);
    const azUuid =
      user.defaultAzUuid &&
      (await this.zones.get(user.defaultAzUuid).then(
        () => user.defaultAzUuid,
        (error: unknown) => {
          // Only "that AZ is gone" reads as no default; anything else (an outage) is an error.
          if (error instanceof NotFoundError) return null;
          throw error;
        },
      ));
    const clustersUuid =
      azUuid && user.defaultClustersUuid && (await this.clusters.isIn(azUuid, user.defaultClustersUuid))
        ? user.defaultClustersUuid
        : null;
    return { az_uuid: azUuid ?? null, clusters_uuid: clustersUuid };
  }
}
