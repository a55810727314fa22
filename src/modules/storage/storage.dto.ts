import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiSchema, PartialType } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min, Validate, type ValidatorConstraintInterface, ValidatorConstraint } from 'class-validator';
import { ListQuery } from '../../platform/http/list-query';
import { IntChoiceFilter, NameFilter, OptionalUuid, ResourceDescription, ResourceName } from '../../platform/http/resource-fields';
import { IsAnyUuid } from '../../platform/http/validation';
import {
  CLUSTER_VOLUME_SPEC_SORTABLE,
  GIB,
  SNAPSHOT_SORTABLE,
  SNAPSHOT_STATES,
  STORAGE_LIMITS,
  STORAGE_POOL_SORTABLE,
  STORAGE_POOL_TYPES,
  StoragePoolState,
  VOLUME_SORTABLE,
  VOLUME_SPEC_SORTABLE,
  VOLUME_STATES,
  type CreateClusterVolumeSpecRequest,
  type CreateSnapshotRequest,
  type CreateStoragePoolRequest,
  type CreateVolumeRequest,
  type CreateVolumeSpecRequest,
  type StoragePoolType,
  type UpdateVolumeRequest,
} from './storage.contract';

const POOL_TYPE_RULE = 'type must be 0 (local), 1 (iSCSI) or 2 (Ceph)';
const POOL_STATE_RULE = 'state must be 0 or 1';

/** A whole number within bounds, with its rule as the message of every check. */
const Integer = (field: string, min: number, max: number, what = '', optional = false) => {
  const rule = `${field} must be an integer from ${min} to ${max}${what ? ` (${what})` : ''}`;
  const doc = { type: 'integer', format: max > 2 ** 31 ? 'int64' : 'int32', minimum: min, maximum: max, ...(what ? { description: what } : {}) } as const;
  return applyDecorators(
    optional ? ApiPropertyOptional(doc) : ApiProperty(doc),
    ...(optional ? [IsOptional()] : []),
    IsInt({ message: rule }),
    Min(min, { message: rule }),
    Max(max, { message: rule }),
  );
};

export const DEFAULT_POOL_META = JSON.stringify({ backend_path: '/chime/backend', image_cache_path: '/chime/cache' });

/** `meta`: a JSON object as text whose values are strings (ChimeStack's `backend_path`, `image_cache_path` …). */
@ValidatorConstraint({ name: 'poolMeta' })
class PoolMetaRule implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    try {
      const parsed: unknown = JSON.parse(value);
      return (
        typeof parsed === 'object' &&
        parsed !== null &&
        !Array.isArray(parsed) &&
        Object.values(parsed).every((entry) => typeof entry === 'string')
      );
    } catch {
      return false;
    }
  }
  defaultMessage(): string {
    return 'meta must be a JSON object whose values are strings, as text (e.g. {"backend_path":"/chime/backend"})';
  }
}

@ApiSchema({ name: 'CreateStoragePoolRequest' })
export class CreateStoragePoolDto implements CreateStoragePoolRequest {
  @ResourceName()
  name!: string;

  @ResourceDescription()
  description?: string;

  @ApiPropertyOptional({
    maxLength: STORAGE_LIMITS.maxMeta,
    default: DEFAULT_POOL_META,
    description: 'a JSON object as text: `backend_path` (where volumes go), `image_cache_path` (where images are cached)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(STORAGE_LIMITS.maxMeta)
  @Validate(PoolMetaRule)
  meta?: string;

  @Integer('physical_size', 0, STORAGE_LIMITS.maxPoolSize, 'bytes')
  physical_size!: number;

  @Integer('reserved_size', 0, STORAGE_LIMITS.maxPoolSize, 'bytes never given to volumes', true)
  reserved_size?: number;

  @ApiPropertyOptional({
    type: 'number',
    minimum: 0.01,
    maximum: STORAGE_LIMITS.maxRatio,
    default: 1,
    description: 'the allocation ratio: 2.0 allows to allocate twice the physical size',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'size_ratio must be a number' })
  @Min(0.01, { message: 'size_ratio must be at least 0.01' })
  @Max(STORAGE_LIMITS.maxRatio, { message: `size_ratio must be at most ${STORAGE_LIMITS.maxRatio}` })
  size_ratio?: number;

  @ApiPropertyOptional({ enum: [...STORAGE_POOL_TYPES], default: 0, description: '0 local, 1 iSCSI, 2 Ceph' })
  @IsOptional()
  @IsIn([...STORAGE_POOL_TYPES], { message: POOL_TYPE_RULE })
  type?: StoragePoolType;
}

@ApiSchema({ name: 'UpdateStoragePoolRequest' })
export class UpdateStoragePoolDto extends PartialType(CreateStoragePoolDto) {}

export class StoragePoolListParams extends ListQuery(STORAGE_POOL_SORTABLE) {
  @NameFilter()
  name?: string;

  @IntChoiceFilter([StoragePoolState.Unavailable, StoragePoolState.Available], POOL_STATE_RULE, '0 unavailable, 1 available')
  state?: StoragePoolState;

  @IntChoiceFilter([...STORAGE_POOL_TYPES], POOL_TYPE_RULE, '0 local, 1 iSCSI, 2 Ceph')
  type?: StoragePoolType;
}

/** listStoragePoolAll: every cluster's pools. */
export class AllStoragePoolListParams extends ListQuery(STORAGE_POOL_SORTABLE) {
  @NameFilter()
  name?: string;

  @IntChoiceFilter([StoragePoolState.Unavailable, StoragePoolState.Available], POOL_STATE_RULE, '0 unavailable, 1 available')
  state?: StoragePoolState;
}

export class StoragePoolStatisticParams {
  @OptionalUuid('cluster_uuid', "the cluster's uuid")
  cluster_uuid?: string;

  @OptionalUuid('storage_pool_uuid', "the storage pool's uuid")
  storage_pool_uuid?: string;
}

const MAX_IOPS = STORAGE_LIMITS.maxIops;
const MAX_BPS = STORAGE_LIMITS.maxThroughput;

@ApiSchema({ name: 'CreateVolumeSpecRequest' })
export class CreateVolumeSpecDto implements CreateVolumeSpecRequest {
  @ResourceName()
  name!: string;

  @ResourceDescription()
  description?: string;

  @ApiProperty({ format: 'uuid', description: 'the pool its volumes go to' })
  @IsString()
  @IsAnyUuid('storage_pool_uuid must be a UUID')
  storage_pool_uuid!: string;

  @Integer('min_iops', 0, MAX_IOPS)
  min_iops!: number;

  @Integer('max_iops', 0, MAX_IOPS, 'at least min_iops')
  max_iops!: number;

  @Integer('step_iops', 0, MAX_IOPS, 'IOPS per GiB of the volume')
  step_iops!: number;

  @Integer('min_throughput', 0, MAX_BPS, 'bytes per second')
  min_throughput!: number;

  @Integer('max_throughput', 0, MAX_BPS, 'bytes per second, at least min_throughput')
  max_throughput!: number;

  @Integer('step_throughput', 0, MAX_BPS, 'bytes per second per GiB of the volume')
  step_throughput!: number;
}

@ApiSchema({ name: 'UpdateVolumeSpecRequest' })
export class UpdateVolumeSpecDto extends PartialType(CreateVolumeSpecDto) {}

export class VolumeSpecListParams extends ListQuery(VOLUME_SPEC_SORTABLE) {
  @NameFilter()
  name?: string;

  @OptionalUuid('storage_pool_uuid', "the storage pool's uuid")
  storage_pool_uuid?: string;
}

@ApiSchema({ name: 'CreateClusterVolumeSpecRequest' })
export class CreateClusterVolumeSpecDto implements CreateClusterVolumeSpecRequest {
  @ApiProperty({ format: 'uuid' })
  @IsString()
  @IsAnyUuid('volume_spec_uuid must be a UUID')
  volume_spec_uuid!: string;
}

export class ClusterVolumeSpecListParams extends ListQuery(CLUSTER_VOLUME_SPEC_SORTABLE) {
  @NameFilter()
  name?: string;
}

const SIZE_RULE = `size must be a whole number of GiB (${GIB} bytes) from 1 GiB to 64 TiB`;

/** Volume sizes are whole GiB, so IOPS and throughput per GiB are exact. */
@ValidatorConstraint({ name: 'wholeGib' })
class WholeGibRule implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return Number.isSafeInteger(value) && (value as number) % GIB === 0;
  }
  defaultMessage(): string {
    return SIZE_RULE;
  }
}

@ApiSchema({ name: 'CreateVolumeRequest' })
export class CreateVolumeDto implements CreateVolumeRequest {
  @ResourceName()
  name!: string;

  @ResourceDescription()
  description?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'the host to put it on (an enabled, reachable host of the cluster); the server chooses one without it',
  })
  @IsOptional()
  @IsString()
  @IsAnyUuid('host_uuid must be a UUID')
  host_uuid?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'an available image to make it from; empty without it' })
  @IsOptional()
  @IsString()
  @IsAnyUuid('image_uuid must be a UUID')
  image_uuid?: string;

  @ApiPropertyOptional({ enum: [0, 1], default: 0, description: '1 for a root volume (made from an image)' })
  @IsOptional()
  @IsIn([0, 1], { message: 'root must be 0 or 1' })
  root?: 0 | 1;

  @ApiProperty({ type: 'integer', format: 'int64', minimum: GIB, maximum: STORAGE_LIMITS.maxVolumeSize, multipleOf: GIB, description: 'bytes, whole GiB' })
  @IsInt({ message: SIZE_RULE })
  @Min(GIB, { message: SIZE_RULE })
  @Max(STORAGE_LIMITS.maxVolumeSize, { message: SIZE_RULE })
  @Validate(WholeGibRule)
  size!: number;

  @ApiProperty({ format: 'uuid', description: 'a volume specification registered in the cluster' })
  @IsString()
  @IsAnyUuid('volume_spec_uuid must be a UUID')
  volume_spec_uuid!: string;
}

@ApiSchema({ name: 'UpdateVolumeRequest' })
export class UpdateVolumeDto implements UpdateVolumeRequest {
  @ApiPropertyOptional({ minLength: 1, maxLength: 64 })
  @IsOptional()
  @ResourceName()
  name?: string;

  @ResourceDescription()
  description?: string;
}

export class VolumeListParams extends ListQuery(VOLUME_SORTABLE) {
  @NameFilter()
  name?: string;

  @IntChoiceFilter([...VOLUME_STATES], 'state must be 0, 1, 2 or 10', '0 unavailable, 1 available, 2 in use, 10 failed')
  state?: number;

  @OptionalUuid('uuid', "the volume's uuid")
  uuid?: string;

  @OptionalUuid('host_uuid', "the host's uuid")
  host_uuid?: string;

  @IntChoiceFilter([...STORAGE_POOL_TYPES], POOL_TYPE_RULE, '0 local, 1 iSCSI, 2 Ceph')
  type?: StoragePoolType;
}

@ApiSchema({ name: 'CreateSnapshotRequest' })
export class CreateSnapshotDto implements CreateSnapshotRequest {
  @ResourceName()
  name!: string;

  @ResourceDescription()
  description?: string;
}

@ApiSchema({ name: 'UpdateSnapshotRequest' })
export class UpdateSnapshotDto extends PartialType(CreateSnapshotDto) {}

export class SnapshotListParams extends ListQuery(SNAPSHOT_SORTABLE) {
  @NameFilter()
  name?: string;

  @IntChoiceFilter([...SNAPSHOT_STATES], 'state must be 0, 1 or 10', '0 unavailable, 1 available, 10 failed')
  state?: number;
}

/** deleteVolume's `force_del`: `true` (or `1`) deletes a volume with its snapshots, and forgets one whose host is unreachable. */
export class DeleteVolumeParams {
  @ApiPropertyOptional({ enum: ['true', 'false', '1', '0'], description: 'see the operation' })
  @IsOptional()
  @IsIn(['true', 'false', '1', '0'], { message: 'force_del must be true or false' })
  force_del?: string;
}
