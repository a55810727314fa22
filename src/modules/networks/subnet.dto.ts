import { ApiProperty, ApiPropertyOptional, ApiSchema, PartialType } from '@nestjs/swagger';
import { State } from '@chime/contracts';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ListQuery } from '../../platform/http/list-query';
import { NameFilter, ResourceDescription, ResourceName, StateFilter, IntChoiceFilter } from '../../platform/http/resource-fields';
import { SUBNET_SORTABLE, SubnetType, type CreateSubnetRequest, type UpdateSubnetRequest } from './network.contract';

const TYPES = [SubnetType.Ipv4, SubnetType.Ipv6];

/** The addresses themselves are checked together in subnet-addresses.ts (they depend on one another). */
@ApiSchema({ name: 'CreateSubnetRequest' })
export class CreateSubnetDto implements CreateSubnetRequest {
  @ResourceName()
  name!: string;

  @ApiProperty({
    example: '192.168.231.0/24',
    maxLength: 64,
    description: 'the CIDR value, e.g. 192.168.231.0/24 or 2001:db8::/64 (host bits are cleared)',
  })
  @IsString()
  @MaxLength(64)
  cidr!: string;

  @ApiPropertyOptional({ example: '192.168.231.2', maxLength: 64, description: 'the gateway of the subnet, inside the CIDR' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  gateway?: string;

  @ApiPropertyOptional({
    example: '192.168.231.254,192.168.231.1-192.168.231.100',
    maxLength: 4096,
    description:
      'addresses and first-last ranges inside the CIDR, comma-separated, which will not be assigned to virtual machines',
  })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  reserved_ips?: string;

  @ResourceDescription()
  description?: string;
}

/** Any of the create fields; the result is checked as a whole, as on create. */
@ApiSchema({ name: 'UpdateSubnetRequest' })
export class UpdateSubnetDto extends PartialType(CreateSubnetDto) implements UpdateSubnetRequest {}

export class SubnetListParams extends ListQuery(SUBNET_SORTABLE) {
  @NameFilter()
  name?: string;

  @StateFilter()
  state?: State;

  @IntChoiceFilter(TYPES, 'type must be 0 (IPv4) or 1 (IPv6)', '0 IPv4, 1 IPv6')
  type?: SubnetType;
}
