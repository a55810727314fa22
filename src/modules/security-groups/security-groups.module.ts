import { Global } from '@nestjs/common';
import { streamReplay } from '@chime/event-log';
import { FeatureModule } from '../../platform/feature-module';
import { CreateSecurityGroupHandler } from './commands/create-security-group';
import { DeleteSecurityGroupHandler } from './commands/delete-security-group';
import { UpdateSecurityGroupHandler } from './commands/update-security-group';
import { GetSecurityGroupHandler, ListSecurityGroupsHandler } from './queries/security-group-queries';
import { SecurityGroupEntity } from './security-group.entity';
import { SecurityGroupPort } from './security-group.port';
import { SECURITY_GROUP_REPLAY } from './security-group.replay';
import { SecurityGroupsController } from './security-groups.controller';
import { CreateSecurityGroups1764300010000 } from './security-groups.migration';

/**
 * Security groups (ChimeStack's SecurityGroup family): a user's named lists of ingress and egress
 * rules. Global: NICs (the networks module) use groups through SecurityGroupPort. ChimeStack's
 * install schema has no security group table, so there is no importer.
 */
@Global()
@FeatureModule({
  entities: [SecurityGroupEntity],
  migrations: [CreateSecurityGroups1764300010000],
  replay: [streamReplay(SECURITY_GROUP_REPLAY)],
  controllers: [SecurityGroupsController],
  providers: [
    SecurityGroupPort,
    CreateSecurityGroupHandler,
    UpdateSecurityGroupHandler,
    DeleteSecurityGroupHandler,
    ListSecurityGroupsHandler,
    GetSecurityGroupHandler,
  ],
  exports: [SecurityGroupPort],
})
export class SecurityGroupsModule {}
