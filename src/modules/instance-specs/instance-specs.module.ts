import { Global } from '@nestjs/common';
import { streamReplay } from '@chime/event-log';
import { FeatureModule } from '../../platform/feature-module';
import { ClusterDeletedConsumer } from './cluster-deleted.consumer';
import { ClusterInstanceSpecsController } from './cluster-instance-specs.controller';
import { CreateInstanceSpecHandler } from './commands/create-instance-spec';
import { DeleteInstanceSpecHandler } from './commands/delete-instance-spec';
import { RegisterInstanceSpecHandler } from './commands/register-instance-spec';
import { UnregisterInstanceSpecHandler } from './commands/unregister-instance-spec';
import { UpdateInstanceSpecHandler } from './commands/update-instance-spec';
import { ClusterInstanceSpecEntity, ClusterInstanceSpecListing, InstanceSpecEntity } from './instance-spec.entity';
import { INSTANCE_SPEC_REPLAY } from './instance-spec.replay';
import { INSTANCE_SPECS_IMPORTER } from './instance-specs.importer';
import { InstanceSpecPort } from './instance-spec.port';
import { InstanceSpecsController } from './instance-specs.controller';
import { CreateInstanceSpecs1764300006400 } from './instance-specs.migration';
import { GetInstanceSpecHandler } from './queries/get-instance-spec';
import { ListClusterInstanceSpecsHandler } from './queries/list-cluster-instance-specs';
import { ListInstanceSpecsHandler } from './queries/list-instance-specs';

/**
 * Instance specifications (vCPUs and memory) and their registration in clusters (ChimeStack's
 * InstanceSpec family). Registrations are events of the spec's stream; a deleted cluster's
 * registrations are removed by ClusterDeletedConsumer. Clusters are reached through ClusterPort only.
 * Global: the compute module reads a VM's spec through InstanceSpecPort.
 */
@Global()
@FeatureModule({
  entities: [InstanceSpecEntity, ClusterInstanceSpecEntity, ClusterInstanceSpecListing],
  migrations: [CreateInstanceSpecs1764300006400],
  replay: [streamReplay(INSTANCE_SPEC_REPLAY)],
  importers: [INSTANCE_SPECS_IMPORTER],
  controllers: [InstanceSpecsController, ClusterInstanceSpecsController],
  providers: [
    CreateInstanceSpecHandler,
    UpdateInstanceSpecHandler,
    DeleteInstanceSpecHandler,
    RegisterInstanceSpecHandler,
    UnregisterInstanceSpecHandler,
    ListInstanceSpecsHandler,
    GetInstanceSpecHandler,
    ListClusterInstanceSpecsHandler,
    ClusterDeletedConsumer,
    InstanceSpecPort,
  ],
  exports: [InstanceSpecPort],
})
export class InstanceSpecsModule {}
