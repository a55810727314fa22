import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { ListQuery } from '../../platform/http/list-query';
import {
  IntChoiceFilter,
  NameFilter,
  OptionalUuid,
  ResourceDescription,
  ResourceName,
} from '../../platform/http/resource-fields';
import { IsAnyUuid } from '../../platform/http/validation';
import { CreateNicDto } from '../networks/nic.port';
import { CreateVolumeDto } from '../storage/storage.port';
import {
  COMPUTE_LIMITS,
  VM_SORTABLE,
  VM_STATES,
  type CreateCdromRequest,
  type CreateVmRequest,
  type UpdateVmRequest,
  type VmMigrateRequest,
} from './compute.contract';

const Uuid = (field: string, description: string, optional = false) =>
  optional
    ? OptionalUuid(field, description)
    : applyDecorators(
        ApiProperty({ format: 'uuid', description }),
        IsString({ message: `${field} must be a UUID` }),
        IsAnyUuid(`${field} must be a UUID`),
      );

const Password = (what: string) =>
  applyDecorators(
    ApiPropertyOptional({
      maxLength: 128,
      writeOnly: true,
      description: `${what}; given to the host's agent only, never shown or logged`,
    }),
    IsOptional(),
    IsString({ message: `${what} must be a string` }),
    MaxLength(128, { message: `${what} must be at most 128 characters` }),
  );

@ApiSchema({ name: 'CreateCdromRequest' })
export class CreateCdromDto implements CreateCdromRequest {
  @ApiPropertyOptional({ enum: [0, 1], default: 0, description: '1 to boot the VM from the cdrom' })
  @IsOptional()
  @IsIn([0, 1], { message: 'cdrom.bootable must be 0 or 1' })
  bootable?: 0 | 1;

  @Uuid('cdrom.host_uuid', "ignored: the cdrom is on the VM's host", true)
  host_uuid?: string;

  @Uuid('cdrom.image_uuid', 'an available ISO image the caller may use')
  image_uuid!: string;

  @ResourceName()
  name!: string;

  @Uuid('cdrom.volume_spec_uuid', 'a volume specification registered in the cluster')
  volume_spec_uuid!: string;
}

@ApiSchema({ name: 'CreateVmRequest' })
export class CreateVmDto implements CreateVmRequest {
  @Uuid('az_uuid', "the AZ's uuid")
  az_uuid!: string;

  @Uuid('cluster_uuid', "the cluster's uuid")
  cluster_uuid!: string;

  @ResourceName()
  name!: string;

  @ResourceDescription()
  description?: string;

  @Uuid(
    'host_uuid',
    'administrators only: the host to put it on (still checked for room); the scheduler picks one without it',
    true,
  )
  host_uuid?: string;

  @Uuid('instance_spec_uuid', 'an instance specification registered in the cluster')
  instance_spec_uuid!: string;

  @ApiProperty({
    type: [CreateNicDto],
    maxItems: COMPUTE_LIMITS.nicsPerVm,
    description: 'its network interfaces (the first is primary unless one says so)',
  })
  @IsArray({ message: `nics must be an array of at most ${COMPUTE_LIMITS.nicsPerVm} network interfaces` })
  @ArrayMaxSize(COMPUTE_LIMITS.nicsPerVm, {
    message: `nics must be an array of at most ${COMPUTE_LIMITS.nicsPerVm} network interfaces`,
  })
  @ValidateNested({ each: true })
  @Type(() => CreateNicDto)
  nics!: CreateNicDto[];

  @ApiProperty({
    type: [CreateVolumeDto],
    maxItems: COMPUTE_LIMITS.volumesPerVm,
    description: 'its volumes: one root volume (made from an image) and data volumes',
  })
  @IsArray({ message: `volumes must be an array of at most ${COMPUTE_LIMITS.volumesPerVm} volumes` })
  @ArrayMaxSize(COMPUTE_LIMITS.volumesPerVm, {
    message: `volumes must be an array of at most ${COMPUTE_LIMITS.volumesPerVm} volumes`,
  })
  @ValidateNested({ each: true })
  @Type(() => CreateVolumeDto)
  volumes!: CreateVolumeDto[];

  @ApiPropertyOptional({ type: CreateCdromDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CreateCdromDto)
  cdrom?: CreateCdromDto;

  @Password('password')
  password?: string;

  @Password('vnc_password')
  vnc_password?: string;
}

@ApiSchema({ name: 'UpdateVmRequest' })
export class UpdateVmDto implements UpdateVmRequest {
  @ApiPropertyOptional({ minLength: 1, maxLength: 64 })
  @IsOptional()
  @ResourceName()
  name?: string;

  @ResourceDescription()
  description?: string;
}

@ApiSchema({ name: 'VmMigrateRequest' })
export class VmMigrateDto implements VmMigrateRequest {
  @ApiPropertyOptional({ description: 'accepted; snapshots stay with their volumes' })
  @IsOptional()
  @IsBoolean({ message: 'copy_local_snapshots must be true or false' })
  copy_local_snapshots?: boolean;

  @ApiPropertyOptional({ description: 'accepted; snapshots stay with their volumes' })
  @IsOptional()
  @IsBoolean({ message: 'merge_local_snapshots must be true or false' })
  merge_local_snapshots?: boolean;

  @ApiPropertyOptional({ description: 'true to move a VM whose volumes are on local storage with it (refused otherwise)' })
  @IsOptional()
  @IsBoolean({ message: 'migrate_local_disks must be true or false' })
  migrate_local_disks?: boolean;

  @Uuid('target_host_uuid', 'the host to move it to (another host of its cluster); the scheduler picks one without it', true)
  target_host_uuid?: string;
}

@ApiSchema({ name: 'AttachVolumeRequest' })
export class AttachVolumeDto {
  @Uuid('volume_uuid', "the volume's uuid")
  volume_uuid!: string;
}

@ApiSchema({ name: 'AttachNicRequest' })
export class AttachNicDto {
  @Uuid('nic_uuid', "the network interface's uuid")
  nic_uuid!: string;
}

export class VmListParams extends ListQuery(VM_SORTABLE) {
  @NameFilter()
  name?: string;

  @IntChoiceFilter(
    [...VM_STATES],
    'state must be 0, 1, 4 or 10',
    '0 unavailable (being created), 1 running, 4 stopped, 10 failed',
  )
  state?: number;

  @OptionalUuid('uuid', "the VM's uuid")
  uuid?: string;

  @OptionalUuid('host_uuid', "the host's uuid")
  host_uuid?: string;

  @OptionalUuid('az_uuid', "the AZ's uuid")
  az_uuid?: string;

  @OptionalUuid('cluster_uuid', "the cluster's uuid")
  cluster_uuid?: string;
}

export class DeleteVmParams {
  @ApiPropertyOptional({ enum: ['true', 'false', '1', '0'], description: 'see the operation' })
  @IsOptional()
  @IsIn(['true', 'false', '1', '0'], { message: 'force_del must be true or false' })
  force_del?: string;
}
