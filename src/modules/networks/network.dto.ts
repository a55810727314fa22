import { ApiProperty, ApiPropertyOptional, ApiSchema, PartialType, PickType } from '@nestjs/swagger';
import { State } from '@chime/contracts';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ListQuery } from '../../platform/http/list-query';
import { NameFilter, ResourceDescription, ResourceName, StateFilter, IntChoiceFilter } from '../../platform/http/resource-fields';
import { MAX_VNI, NETWORK_SORTABLE, NetworkType, type CreateNetworkRequest, type UpdateNetworkRequest } from './network.contract';

const TYPES = [NetworkType.Classical, NetworkType.Vlan, NetworkType.Vxlan];
const TYPE_RULE = 'type must be 0 (classical), 1 (vlan) or 2 (vxlan)';
/** A Linux network device name: at most 15 characters (IFNAMSIZ), none of them a blank or a slash. */
const DEVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;
const deviceName = (field: string) =>
  Matches(DEVICE_NAME, {
    message: `${field} must be a device name: 1 to 15 of A-Z a-z 0-9 _ . -, starting with a letter or digit`,
  });

@ApiSchema({ name: 'CreateNetworkRequest' })
export class CreateNetworkDto implements CreateNetworkRequest {
  @ResourceName()
  name!: string;

  @ApiProperty({ example: 'br1', pattern: DEVICE_NAME.source, description: "the network's actual bridge name" })
  @IsString()
  @deviceName('bridge_name')
  bridge_name!: string;

  @ApiProperty({
    example: 'ens224',
    pattern: DEVICE_NAME.source,
    description: 'the unified interface name which the network uses in the node',
  })
  @IsString()
  @deviceName('interface_name')
  interface_name!: string;

  @ApiPropertyOptional({ enum: TYPES, default: NetworkType.Classical, description: '0 classical, 1 vlan, 2 vxlan' })
  @IsOptional()
  @IsIn(TYPES, { message: TYPE_RULE })
  type?: NetworkType;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_VNI,
    description:
      'required for a vlan network (the VLAN id, 1–4094) and a vxlan network (the VNI, 1–16777215); left out for a classical one',
  })
  @IsOptional()
  @IsInt({ message: 'vlan_id must be an integer' })
  @Min(1, { message: 'vlan_id must be at least 1' })
  @Max(MAX_VNI, { message: `vlan_id must be at most ${MAX_VNI}` })
  vlan_id?: number;

  @ResourceDescription()
  description?: string;
}

/** `name` and `description`; the bridge, interface, type and VLAN of a network are fixed when it is created. */
@ApiSchema({ name: 'UpdateNetworkRequest' })
export class UpdateNetworkDto
  extends PartialType(PickType(CreateNetworkDto, ['name', 'description'] as const))
  implements UpdateNetworkRequest {}

export class NetworkListParams extends ListQuery(NETWORK_SORTABLE) {
  @NameFilter()
  name?: string;

  @StateFilter()
  state?: State;

  @IntChoiceFilter(TYPES, TYPE_RULE)
  type?: NetworkType;

  @ApiPropertyOptional({ description: 'exact bridge name' })
  @IsOptional()
  @IsString()
  @MaxLength(15)
  bridge_name?: string;

  @ApiPropertyOptional({ description: 'exact interface name' })
  @IsOptional()
  @IsString()
  @MaxLength(15)
  interface_name?: string;
}
