import { Global } from '@nestjs/common';
import { streamReplay } from '@chime/event-log';
import { FeatureModule } from '../../platform/feature-module';
import { CLUSTERS_IMPORTER } from './clusters.importer';
import { ClusterEntity } from './cluster.entity';
import { CLUSTER_REPLAY } from './cluster.replay';
import { CreateClusters1764300003000 } from './clusters.migration';
import { ClusterPort } from './cluster.port';
import { ClustersController } from './clusters.controller';
import { CreateClusterHandler } from './commands/create-cluster';
import { DeleteClusterHandler } from './commands/delete-cluster';
import { SetClusterStateHandler } from './commands/set-cluster-state';
import { UpdateClusterHandler } from './commands/update-cluster';
import { GetClusterHandler } from './queries/get-cluster';
import { ListClustersHandler } from './queries/list-clusters';

/** Clusters, each in one AZ. Global: other modules see them only through ClusterPort. */
@Global()
@FeatureModule({
  entities: [ClusterEntity],
  migrations: [CreateClusters1764300003000],
  replay: [streamReplay(CLUSTER_REPLAY)],
  importers: [CLUSTERS_IMPORTER],
  controllers: [ClustersController],
  providers: [
    ClusterPort,
    CreateClusterHandler,
    UpdateClusterHandler,
    SetClusterStateHandler,
    DeleteClusterHandler,
    ListClustersHandler,
    GetClusterHandler,
  ],
  exports: [ClusterPort],
})
export class ClustersModule {}
