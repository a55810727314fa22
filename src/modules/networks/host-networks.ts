import { Injectable, OnModuleInit } from '@nestjs/common';
import { ClusterPort } from '../clusters/cluster.port';
import { HostPort } from '../hosts/host.port';
import { NetworkEntity } from './network.entity';
import { toNetworkView } from './network.view';

/** getHost's `networks`: the layer-2 networks of the host's cluster (as ChimeStack shows them there). */
@Injectable()
export class HostNetworks implements OnModuleInit {
  constructor(
    private readonly hosts: HostPort,
    private readonly clusters: ClusterPort,
  ) {}

  onModuleInit(): void {
    this.hosts.contribute('networks', async (manager, host) => {
      const networks = await manager.find(NetworkEntity, {
        where: { clusterUuid: host.cluster_uuid },
        order: { createdAt: 'ASC', uuid: 'ASC' },
      });
      const names = await this.clusters.names([host.cluster_uuid], manager);
      return networks.map((network) => toNetworkView(network, names.get(network.clusterUuid) ?? ''));
    });
  }
}
