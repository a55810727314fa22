import { NamedResourceSchema } from '../../platform/http/resource-fields';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import {
  INSTANCE_SPEC_LIMITS,
  InstanceSpecState as SpecState,
  InstanceSpecType,
  type ClusterInstanceSpecRelationView,
  type ClusterInstanceSpecView,
  type InstanceSpecView,
} from './instance-spec.contract';
import type { ClusterInstanceSpecEntity, ClusterInstanceSpecListing, InstanceSpecEntity } from './instance-spec.entity';
import type { InstanceSpecState } from './instance-spec.events';

export function toInstanceSpecState(spec: InstanceSpecEntity): InstanceSpecState {
  return {
    uuid: spec.uuid,
    name: spec.name,
    description: spec.description,
    vcpus: spec.vcpus,
    memory: spec.memory,
    type: spec.type,
    state: spec.state,
    created_at: spec.createdAt.toISOString(),
  };
}

export function toInstanceSpecView(spec: InstanceSpecEntity): InstanceSpecView {
  return { ...toInstanceSpecState(spec), cluster_count: spec.clusterCount };
}

export function toClusterInstanceSpecView(row: ClusterInstanceSpecListing): ClusterInstanceSpecView {
  return {
    cluster_uuid: row.clusterUuid,
    instance_spec_uuid: row.instanceSpecUuid,
    instance_spec_name: row.name,
    vcpus: row.vcpus,
    memory: row.memory,
    created_at: row.createdAt.toISOString(),
  };
}

export function toRelationView(relation: ClusterInstanceSpecEntity): ClusterInstanceSpecRelationView {
  return {
    cluster_uuid: relation.clusterUuid,
    instance_spec_uuid: relation.instanceSpecUuid,
    created_at: relation.createdAt.toISOString(),
  };
}

const VCPUS = { minimum: 1, maximum: INSTANCE_SPEC_LIMITS.maxVcpus, example: 2 } as const;
const MEMORY = {
  type: 'integer',
  format: 'int64',
  minimum: 1,
  maximum: INSTANCE_SPEC_LIMITS.maxMemory,
  description: 'bytes',
  example: 4294967296,
} as const;

/** The wire shape of an instance specification, for the OpenAPI document. */
@ApiSchema({ name: 'InstanceSpec' })
export class InstanceSpecViewSchema extends NamedResourceSchema implements InstanceSpecView {
  @ApiProperty({ type: 'integer', ...VCPUS })
  vcpus!: number;

  @ApiProperty(MEMORY)
  memory!: number;

  @ApiProperty({ enum: [InstanceSpecType.Shared, InstanceSpecType.Dedicated], description: '0 shared, 1 dedicated' })
  type!: InstanceSpecType;

  @ApiProperty({ enum: [SpecState.Available], description: '1 available' })
  state!: SpecState;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'how many clusters the specification is registered in' })
  cluster_count!: number;
}

/** An instance specification registered in a cluster, for the OpenAPI document. */
@ApiSchema({ name: 'ClusterInstanceSpec' })
export class ClusterInstanceSpecViewSchema implements ClusterInstanceSpecView {
  @ApiProperty({ format: 'uuid' })
  cluster_uuid!: string;

  @ApiProperty({ format: 'uuid' })
  instance_spec_uuid!: string;

  @ApiProperty({ description: "the specification's current name" })
  instance_spec_name!: string;

  @ApiProperty({ type: 'integer', ...VCPUS })
  vcpus!: number;

  @ApiProperty(MEMORY)
  memory!: number;

  @ApiProperty({ format: 'date-time', description: 'when the specification was registered in the cluster' })
  created_at!: string;
}

/** The registration of an instance specification in a cluster, for the OpenAPI document. */
@ApiSchema({ name: 'ClusterInstanceSpecRelation' })
export class ClusterInstanceSpecRelationViewSchema implements ClusterInstanceSpecRelationView {
  @ApiProperty({ format: 'uuid' })
  cluster_uuid!: string;

  @ApiProperty({ format: 'uuid' })
  instance_spec_uuid!: string;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}
