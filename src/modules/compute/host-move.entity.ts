import { Column, Entity, PrimaryColumn } from 'typeorm';

export const HOST_MOVE_STREAM = 'host_move';

/** What a host move does to each of its VMs: drainHost stops, migrateHost migrates, rebuildHost rebuilds. */
export type HostMoveKind = 'drain' | 'migrate' | 'rebuild';
export type HostMoveState = 'running' | 'succeeded' | 'failed';
/** A VM's step: waiting its turn, its task running, or how it ended (`skipped`: nothing to do, or left on purpose). */
export type HostMoveStepState = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

/** One drainHost, migrateHost or rebuildHost: the process manager's own state (host-moves.manager.ts). */
@Entity({ name: 'host_moves' })
export class HostMoveEntity {
  @PrimaryColumn('uuid')
  uuid!: string;

  @Column('uuid', { name: 'host_uuid' })
  hostUuid!: string;

  @Column('uuid', { name: 'cluster_uuid' })
  clusterUuid!: string;

  @Column('text')
  kind!: HostMoveKind;

  /** The host asked for; '' when the scheduler picks one per VM (drain: always ''). */
  @Column('text', { name: 'target_host_uuid' })
  targetHostUuid!: string;

  @Column('boolean', { name: 'migrate_local_disk_vms' })
  migrateLocalDiskVms!: boolean;

  /** The host's server-side task that shows the move's progress (TaskPort.track). */
  @Column('uuid', { name: 'task_uuid' })
  taskUuid!: string;

  @Column('text')
  state!: HostMoveState;

  @Column('integer')
  total!: number;

  @Column('integer')
  succeeded!: number;

  @Column('integer')
  failed!: number;

  @Column('integer')
  skipped!: number;

  @Column('integer')
  version!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt!: Date | null;
}

/** One VM of a host move and where its step is. */
@Entity({ name: 'host_move_vms' })
export class HostMoveVmEntity {
  @PrimaryColumn('uuid', { name: 'move_uuid' })
  moveUuid!: string;

  @PrimaryColumn('uuid', { name: 'vm_uuid' })
  vmUuid!: string;

  @Column('integer')
  position!: number;

  @Column('text')
  state!: HostMoveStepState;

  /** The VM's task of this step ('' until it starts): its VmOperationSucceeded/Failed ends the step. */
  @Column('text', { name: 'task_uuid' })
  taskUuid!: string;

  /** Where it went (migrate, rebuild); '' otherwise. */
  @Column('text', { name: 'target_host_uuid' })
  targetHostUuid!: string;

  /** Why it failed or was skipped; '' otherwise. */
  @Column('text')
  message!: string;
}
