import { Module } from '@nestjs/common';
import { ZonesModule } from '../zones/zones.module';
import { ClusterDirectory } from './cluster.directory';
import { ClustersController } from './clusters.controller';
import { CreateClusterHandler } from './commands/create-cluster';
import { DeleteClusterHandler } from './commands/delete-cluster';
import { SetClusterStateHandler } from './commands/set-cluster-state';
import { UpdateClusterHandler } from './commands/update-cluster';
import { GetClusterHandler } from './queries/get-cluster';
import { ListClustersHandler } from './queries/list-clusters';

/** Clusters, each in one AZ. Other modules see them only through ClusterDirectory. */
@Module({
  imports: [ZonesModule],
  controllers: [ClustersController],
  providers: [
    ClusterDirectory,
    CreateClusterHandler,
    UpdateClusterHandler,
    SetClusterStateHandler,
    DeleteClusterHandler,
    ListClustersHandler,
    GetClusterHandler,
  ],
  exports: [ClusterDirectory],
})
export class ClustersModule {}
