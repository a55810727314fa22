import { Global } from '@nestjs/common';
import { FeatureModule } from '../../platform/feature-module';
import { SchedulerPort } from './scheduler.port';

/**
 * The scheduler: where VMs go, as a list of filters and weighers (filters.ts, weighers.ts) over the
 * hosts HostPort reports. No tables, no routes. Global: the compute module places VMs through
 * SchedulerPort.
 */
@Global()
@FeatureModule({
  providers: [SchedulerPort],
  exports: [SchedulerPort],
})
export class SchedulerModule {}
