import { Global } from '@nestjs/common';
import { streamReplay } from '@chime/event-log';
import { FeatureModule } from '../../platform/feature-module';
import { CreateSnapshotHandler } from './commands/create-snapshot';
import { CreateStoragePoolHandler } from './commands/create-storage-pool';
import { CreateVolumeHandler } from './commands/create-volume';
import { CreateVolumeSpecHandler } from './commands/create-volume-spec';
import { DeleteSnapshotHandler } from './commands/delete-snapshot';
import { DeleteStoragePoolHandler } from './commands/delete-storage-pool';
import { DeleteVolumeHandler } from './commands/delete-volume';
import { DeleteVolumeSpecHandler } from './commands/delete-volume-spec';
import { RegisterVolumeSpecHandler } from './commands/register-volume-spec';
import { RestoreVolumeHandler } from './commands/restore-volume';
import { UnregisterVolumeSpecHandler } from './commands/unregister-volume-spec';
import { UpdateSnapshotHandler } from './commands/update-snapshot';
import { UpdateStoragePoolHandler } from './commands/update-storage-pool';
import { UpdateVolumeHandler } from './commands/update-volume';
import { UpdateVolumeSpecHandler } from './commands/update-volume-spec';
import { GetStoragePoolHandler, GetStoragePoolStatisticHandler, ListStoragePoolsHandler } from './queries/storage-pool-queries';
import { GetVolumeSpecHandler, ListClusterVolumeSpecsHandler, ListVolumeSpecsHandler } from './queries/volume-spec-queries';
import {
  GetSnapshotHandler,
  GetVolumeHandler,
  GetVolumeStatisticHandler,
  ListSnapshotsHandler,
  ListVolumesHandler,
} from './queries/volume-queries';
import { AllStoragePoolsController, StoragePoolsController } from './storage-pools.controller';
import { HostPools } from './host-pools';
import { StorageTaskOutcomes } from './storage-task-outcomes';
import {
  ClusterVolumeSpecEntity,
  ClusterVolumeSpecListing,
  SnapshotEntity,
  SnapshotRowEntity,
  StoragePoolEntity,
  VolumeEntity,
  VolumeRowEntity,
  VolumeSpecEntity,
} from './storage.entity';
import { STORAGE_IMPORTER } from './storage.importer';
import { CreateStorage1764300009000 } from './storage.migration';
import { SNAPSHOT_REPLAY, STORAGE_POOL_REPLAY, VOLUME_REPLAY, VOLUME_SPEC_REPLAY } from './storage.replay';
import { ClusterVolumeSpecsController, VolumeSpecsController } from './volume-specs.controller';
import { StoragePort } from './storage.port';
import { VolumeFactory } from './volume-factory';
import { VolumeViews } from './volume-views';
import { SnapshotsController, VolumesController } from './volumes.controller';

/**
 * Storage (ChimeStack's StoragePool, VolumeSpec and Volume families): pools of a cluster and their
 * capacity, volume specifications and their registration in clusters, volumes and snapshots. Real
 * work is a task for the volume's host's agent (TaskPort, on a host HostPort finds); the outcomes
 * are applied by StorageTaskOutcomes in the transaction that ends each task. Clusters, hosts and images are reached through their ports.
 * Global: the compute module gives VMs their volumes through StoragePort.
 */
@Global()
@FeatureModule({
  entities: [
    StoragePoolEntity,
    VolumeSpecEntity,
    ClusterVolumeSpecEntity,
    ClusterVolumeSpecListing,
    VolumeEntity,
    VolumeRowEntity,
    SnapshotEntity,
    SnapshotRowEntity,
  ],
  migrations: [CreateStorage1764300009000],
  importers: [STORAGE_IMPORTER],
  replay: [
    streamReplay(STORAGE_POOL_REPLAY),
    streamReplay(VOLUME_SPEC_REPLAY),
    streamReplay(VOLUME_REPLAY),
    streamReplay(SNAPSHOT_REPLAY),
  ],
  controllers: [
    StoragePoolsController,
    AllStoragePoolsController,
    VolumeSpecsController,
    ClusterVolumeSpecsController,
    VolumesController,
    SnapshotsController,
  ],
  providers: [
    VolumeViews,
    VolumeFactory,
    StoragePort,
    StorageTaskOutcomes,
    HostPools,
    CreateStoragePoolHandler,
    UpdateStoragePoolHandler,
    DeleteStoragePoolHandler,
    GetStoragePoolHandler,
    ListStoragePoolsHandler,
    GetStoragePoolStatisticHandler,
    CreateVolumeSpecHandler,
    UpdateVolumeSpecHandler,
    DeleteVolumeSpecHandler,
    RegisterVolumeSpecHandler,
    UnregisterVolumeSpecHandler,
    GetVolumeSpecHandler,
    ListVolumeSpecsHandler,
    ListClusterVolumeSpecsHandler,
    CreateVolumeHandler,
    UpdateVolumeHandler,
    DeleteVolumeHandler,
    RestoreVolumeHandler,
    CreateSnapshotHandler,
    UpdateSnapshotHandler,
    DeleteSnapshotHandler,
    GetVolumeHandler,
    ListVolumesHandler,
    GetVolumeStatisticHandler,
    ListSnapshotsHandler,
    GetSnapshotHandler,
  ],
  exports: [StoragePort],
})
export class StorageModule {}
