import { Module } from '@nestjs/common';
import { AzDirectory } from './az.directory';
import { CreateAzHandler } from './commands/create-az';
import { DeleteAzHandler } from './commands/delete-az';
import { SetAzStateHandler } from './commands/set-az-state';
import { UpdateAzHandler } from './commands/update-az';
import { GetAzHandler } from './queries/get-az';
import { ListAzsHandler } from './queries/list-azs';
import { ZonesController } from './zones.controller';

/** Availability zones. Other modules see them only through AzDirectory. */
@Module({
  controllers: [ZonesController],
  providers: [AzDirectory, CreateAzHandler, UpdateAzHandler, SetAzStateHandler, DeleteAzHandler, ListAzsHandler, GetAzHandler],
  exports: [AzDirectory],
})
export class ZonesModule {}
