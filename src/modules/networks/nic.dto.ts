import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ListQuery } from '../../platform/http/list-query';
import { IntChoiceFilter, NameFilter, ResourceDescription, ResourceName } from '../../platform/http/resource-fields';
import { IsAnyUuid } from '../../platform/http/validation';
import { NIC_SORTABLE, NIC_STATES, type CreateNicRequest, type NicState, type UpdateNicRequest } from './nic.contract';

@ApiSchema({ name: 'CreateNicRequest' })
export class CreateNicDto implements CreateNicRequest {
  @ResourceName()
  name!: string;

  @ResourceDescription()
  description?: string;

  @ApiPropertyOptional({
    example: '192.168.231.20',
    maxLength: 64,
    description:
      "an address of the subnet (not its network, broadcast or gateway address, not reserved, not held); the server picks a free one when it is left out",
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  ip?: string;

  @ApiPropertyOptional({ enum: [0, 1], default: 0, description: '1 for a primary NIC, which goes with its VM' })
  @IsOptional()
  @IsIn([0, 1], { message: 'primary must be 0 or 1' })
  primary?: 0 | 1;

  @ApiPropertyOptional({ maxLength: 64, description: 'a security group the caller may use; "" or left out for none' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  sg_uuid?: string;

  @ApiProperty({ format: 'uuid', description: 'the subnet the NIC takes its address from' })
  @IsString()
  @IsAnyUuid('subnet_uuid must be a UUID')
  subnet_uuid!: string;
}

@ApiSchema({ name: 'UpdateNicRequest' })
export class UpdateNicDto implements UpdateNicRequest {
  @ApiPropertyOptional({ minLength: 1, maxLength: 64 })
  @IsOptional()
  @ResourceName()
  name?: string;

  @ResourceDescription()
  description?: string;
}

export class NicListParams extends ListQuery(NIC_SORTABLE) {
  @NameFilter()
  name?: string;

  @IntChoiceFilter([...NIC_STATES], 'state must be 0, 1 or 2', '0 busy, 1 available, 2 in use')
  state?: NicState;

  @ApiPropertyOptional({ format: 'uuid', description: "the NIC's uuid" })
  @IsOptional()
  @IsString()
  @IsAnyUuid('uuid must be a UUID')
  uuid?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "the subnet's uuid" })
  @IsOptional()
  @IsString()
  @IsAnyUuid('subnet_uuid must be a UUID')
  subnet_uuid?: string;
}

export class DeleteNicParams {
  @ApiPropertyOptional({ enum: ['true', 'false', '1', '0'], description: 'accepted; changes nothing (see the operation)' })
  @IsOptional()
  @IsIn(['true', 'false', '1', '0'], { message: 'force_del must be true or false' })
  force_del?: string;
}
