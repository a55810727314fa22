import { Global } from '@nestjs/common';
import { FeatureModule } from '../../platform/feature-module';
import { SecurityGroupEntity } from './security-group.entity';
import { SecurityGroupPort } from './security-group.port';
import { CreateSecurityGroups1764300010000 } from './security-groups.migration';

/**
 * Security groups (ChimeStack's SecurityGroup family): a user's named lists of ingress and egress
 * rules. Global: NICs (the networks module) use groups through SecurityGroupPort.
 */
@Global()
@FeatureModule({
  entities: [SecurityGroupEntity],
  migrations: [CreateSecurityGroups1764300010000],
  providers: [SecurityGroupPort],
  exports: [SecurityGroupPort],
})
export class SecurityGroupsModule {}
