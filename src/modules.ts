import { ClustersModule } from './modules/clusters/clusters.module';
import { ComputeModule } from './modules/compute/compute.module';
import { EventsModule } from './modules/events/events.module';
import { HostsModule } from './modules/hosts/hosts.module';
import { ImagesModule } from './modules/images/images.module';
import { IdentityModule } from './modules/identity/identity.module';
import { InstanceSpecsModule } from './modules/instance-specs/instance-specs.module';
import { NetworksModule } from './modules/networks/networks.module';
import { OperationLogModule } from './modules/operation-log/operation-log.module';
import { SchedulerModule } from './modules/scheduler/scheduler.module';
import { SecurityGroupsModule } from './modules/security-groups/security-groups.module';
import { StorageModule } from './modules/storage/storage.module';
import { ZonesModule } from './modules/zones/zones.module';
import type { ModuleImport } from './platform/feature-module';

/**
 * The server's modules: the one registration list. The server, `npm run migrate`,
 * `npm run verify:replay` and the OpenAPI snapshot (so chimecli and @chime/client) all read it.
 * Adding a module is its folder and one line here, plus its import (see README, "Adding a module").
 */
export const MODULES: readonly ModuleImport[] = [
  IdentityModule,
  ZonesModule,
  ClustersModule,
  NetworksModule,
  InstanceSpecsModule,
  HostsModule,
  ImagesModule,
  SecurityGroupsModule,
  StorageModule,
  SchedulerModule,
  ComputeModule,
  OperationLogModule,
  EventsModule,
];
