import { HostNetworks } from './host-networks';
import { streamReplay } from '@chime/event-log';
import { FeatureModule } from '../../platform/feature-module';
import { CreateNetworkHandler } from './commands/create-network';
import { CreateSubnetHandler } from './commands/create-subnet';
import { DeleteNetworkHandler } from './commands/delete-network';
import { DeleteSubnetHandler } from './commands/delete-subnet';
import { UpdateNetworkHandler } from './commands/update-network';
import { UpdateSubnetHandler } from './commands/update-subnet';
import { NetworkEntity } from './network.entity';
import { NETWORK_REPLAY, SUBNET_REPLAY } from './network.replay';
import { NETWORKS_IMPORTER } from './networks.importer';
import { CreateNetworks1764300006000 } from './networks.migration';
import { NetworksController } from './networks.controller';
import { GetNetworkHandler } from './queries/get-network';
import { GetSubnetHandler } from './queries/get-subnet';
import { ListNetworksHandler } from './queries/list-networks';
import { ListSubnetsHandler } from './queries/list-subnets';
import { SubnetEntity } from './subnet.entity';
import { SubnetsController } from './subnets.controller';

/**
 * Networks of a cluster and their subnets (ChimeStack's Network family, NICs aside). Depends on the
 * clusters module through ClusterPort, and on its table through one foreign key (see the migration).
 */
@FeatureModule({
  entities: [NetworkEntity, SubnetEntity],
  migrations: [CreateNetworks1764300006000],
  replay: [streamReplay(NETWORK_REPLAY), streamReplay(SUBNET_REPLAY)],
  importers: [NETWORKS_IMPORTER],
  controllers: [NetworksController, SubnetsController],
  providers: [
    HostNetworks,
    CreateNetworkHandler,
    UpdateNetworkHandler,
    DeleteNetworkHandler,
    ListNetworksHandler,
    GetNetworkHandler,
    CreateSubnetHandler,
    UpdateSubnetHandler,
    DeleteSubnetHandler,
    ListSubnetsHandler,
    GetSubnetHandler,
  ],
})
export class NetworksModule {}
