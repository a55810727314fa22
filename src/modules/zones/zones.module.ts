import { Global } from '@nestjs/common';
import { streamReplay } from '@chime/event-log';
import { FeatureModule } from '../../platform/feature-module';
import { ZONES_IMPORTER } from './zones.importer';
import { AzEntity } from './az.entity';
import { AZ_REPLAY } from './az.replay';
import { CreateZones1764300002000 } from './zones.migration';
import { AzPort } from './az.port';
import { CreateAzHandler } from './commands/create-az';
import { DeleteAzHandler } from './commands/delete-az';
import { SetAzStateHandler } from './commands/set-az-state';
import { UpdateAzHandler } from './commands/update-az';
import { GetAzHandler } from './queries/get-az';
import { ListAzsHandler } from './queries/list-azs';
import { ZonesController } from './zones.controller';

/** Availability zones. Global: other modules see them only through AzPort. */
@Global()
@FeatureModule({
  entities: [AzEntity],
  migrations: [CreateZones1764300002000],
  replay: [streamReplay(AZ_REPLAY)],
  importers: [ZONES_IMPORTER],
  controllers: [ZonesController],
  providers: [AzPort, CreateAzHandler, UpdateAzHandler, SetAzStateHandler, DeleteAzHandler, ListAzsHandler, GetAzHandler],
  exports: [AzPort],
})
export class ZonesModule {}
