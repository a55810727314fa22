import { Injectable, OnModuleInit } from '@nestjs/common';
import { ClusterPort } from '../clusters/cluster.port';
import { HostPort } from '../hosts/host.port';
import { StoragePoolEntity } from './storage.entity';
import { toStoragePoolView } from './storage.view';

/** getHost's `storage_pools`: the pools of the host's cluster (as ChimeStack shows them there). */
@Injectable()
export class HostPools implements OnModuleInit {
  constructor(
    private readonly hosts: HostPort,
    private readonly clusters: ClusterPort,
  ) {}

  onModuleInit(): void {
    this.hosts.contribute('storage_pools', async (manager, host) => {
      const pools = await manager.find(StoragePoolEntity, {
        where: { clusterUuid: host.cluster_uuid },
        order: { createdAt: 'ASC', uuid: 'ASC' },
      });
      const names = await this.clusters.names([host.cluster_uuid], manager);
      return pools.map((pool) => toStoragePoolView(pool, names.get(pool.clusterUuid) ?? ''));
    });
  }
}
