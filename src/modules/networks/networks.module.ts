import { Global } from '@nestjs/common';
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
import { NICS_IMPORTER } from './nics.importer';
import { CreateNetworks1764300006000 } from './networks.migration';
import { NetworksController } from './networks.controller';
import { GetNetworkHandler } from './queries/get-network';
import { GetSubnetHandler } from './queries/get-subnet';
import { ListNetworksHandler } from './queries/list-networks';
import { ListSubnetsHandler } from './queries/list-subnets';
import { SubnetEntity } from './subnet.entity';
import { SubnetsController } from './subnets.controller';
import { CreateNicHandler } from './commands/create-nic';
import { DeleteNicHandler } from './commands/delete-nic';
import { UpdateNicHandler } from './commands/update-nic';
import { NicLifecycle } from './nic-lifecycle';
import { NicEntity } from './nic.entity';
import { NicPort } from './nic.port';
import { NIC_REPLAY } from './nic.replay';
import { NicViews } from './nic.view';
import { NicsController } from './nics.controller';
import { CreateNics1764300011000 } from './nics.migration';
import { GetNicHandler, GetNicStatisticHandler, ListNicsHandler } from './queries/nic-queries';

/**
 * Networks of a cluster, their subnets and network interfaces (ChimeStack's Network family). Depends
 * on the clusters module through ClusterPort, and on its table through one foreign key (see the
 * migration). Global: NicPort is the compute module's way to make, attach and release a VM's NICs.
 */
@Global()
@FeatureModule({
  entities: [NetworkEntity, SubnetEntity, NicEntity],
  migrations: [CreateNetworks1764300006000, CreateNics1764300011000],
  replay: [streamReplay(NETWORK_REPLAY), streamReplay(SUBNET_REPLAY), streamReplay(NIC_REPLAY)],
  importers: [NETWORKS_IMPORTER, NICS_IMPORTER],
  controllers: [NetworksController, SubnetsController, NicsController],
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
    NicLifecycle,
    NicViews,
    NicPort,
    CreateNicHandler,
    UpdateNicHandler,
    DeleteNicHandler,
    ListNicsHandler,
    GetNicHandler,
    GetNicStatisticHandler,
  ],
  exports: [NicPort],
})
export class NetworksModule {}
