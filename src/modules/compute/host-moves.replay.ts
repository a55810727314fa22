import { loadEntityPage, type StreamProjection } from '@chime/event-log';
import { In, type EntityManager } from 'typeorm';
import { HOST_MOVE_STREAM, HostMoveEntity, HostMoveVmEntity } from './host-move.entity';
import { HostMoveFinished, HostMoveStarted, HostMoveStepFinished, HostMoveStepStarted } from './host-moves.events';

interface StepState {
  vm_uuid: string;
  position: number;
  state: string;
  task_uuid: string;
  target_host_uuid: string;
  message: string;
}
interface HostMoveState {
  key: string;
  version: number;
  uuid: string;
  host_uuid: string;
  cluster_uuid: string;
  kind: string;
  target_host_uuid: string;
  migrate_local_disk_vms: boolean;
  task_uuid: string;
  state: string;
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
  created_at: string;
  finished_at: string | null;
  steps: StepState[];
}

const COUNTED = { succeeded: 'succeeded', failed: 'failed', skipped: 'skipped' } as const;

/** Host moves and their steps rebuilt from their events, for `npm run verify:replay`. */
export const HOST_MOVE_REPLAY: StreamProjection<HostMoveState> = {
  streamType: HOST_MOVE_STREAM,
  handles: [HostMoveStarted.type, HostMoveStepStarted.type, HostMoveStepFinished.type, HostMoveFinished.type],
  apply(state, event) {
    const version = event.version;
    switch (event.type) {
      case HostMoveStarted.type: {
        const { vm_uuids, ...data } = event.data as HostMoveStarted['data'];
        return {
          ...data,
          key: event.streamId,
          version,
          state: 'running',
          total: vm_uuids.length,
          succeeded: 0,
          failed: 0,
          skipped: 0,
          finished_at: null,
          steps: vm_uuids.map((vm_uuid, position) => ({
            vm_uuid,
            position,
            state: 'pending',
            task_uuid: '',
            target_host_uuid: '',
            message: '',
          })),
        };
      }
      case HostMoveStepStarted.type: {
        const data = event.data as HostMoveStepStarted['data'];
        return (
          state && {
            ...state,
            version,
            steps: state.steps.map((step) =>
              step.vm_uuid === data.vm_uuid
                ? { ...step, state: 'running', task_uuid: data.task_uuid, target_host_uuid: data.target_host_uuid }
                : step,
            ),
          }
        );
      }
      case HostMoveStepFinished.type: {
        const data = event.data as HostMoveStepFinished['data'];
        const counter = COUNTED[data.state];
        return (
          state && {
            ...state,
            version,
            [counter]: state[counter] + 1,
            steps: state.steps.map((step) =>
              step.vm_uuid === data.vm_uuid ? { ...step, state: data.state, message: data.message } : step,
            ),
          }
        );
      }
      case HostMoveFinished.type: {
        const data = event.data as HostMoveFinished['data'];
        return state && { ...state, version, state: data.state, finished_at: data.finished_at };
      }
      default:
        throw new Error(`unknown event ${event.type} on stream ${HOST_MOVE_STREAM}`);
    }
  },
  async load(manager: EntityManager, page) {
    const moves = await loadEntityPage(manager, HostMoveEntity, 'uuid', page);
    if (moves.length === 0) return [];
    const steps = await manager.find(HostMoveVmEntity, {
      where: { moveUuid: In(moves.map((move) => move.uuid)) },
      order: { position: 'ASC' },
    });
    return moves.map((move) => ({
      key: move.uuid,
      version: move.version,
      uuid: move.uuid,
      host_uuid: move.hostUuid,
      cluster_uuid: move.clusterUuid,
      kind: move.kind,
      target_host_uuid: move.targetHostUuid,
      migrate_local_disk_vms: move.migrateLocalDiskVms,
      task_uuid: move.taskUuid,
      state: move.state,
      total: move.total,
      succeeded: move.succeeded,
      failed: move.failed,
      skipped: move.skipped,
      created_at: move.createdAt.toISOString(),
      finished_at: move.finishedAt?.toISOString() ?? null,
      steps: steps
        .filter((step) => step.moveUuid === move.uuid)
        .map((step) => ({
          vm_uuid: step.vmUuid,
          position: step.position,
          state: step.state,
          task_uuid: step.taskUuid,
          target_host_uuid: step.targetHostUuid,
          message: step.message,
        })),
    }));
  },
};
