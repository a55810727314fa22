import { loadEntityPage, type StreamProjection } from '@chime/event-log';
import type { EntityManager } from 'typeorm';
import { CLIENT_STREAM, ClientEntity } from './client.entity';
import { ClientState, TaskState } from './host.contract';
import { HOST_STREAM, HostEntity } from './host.entity';
import {
  ClientAdopted,
  ClientEnrolled,
  ClientMonitorStateChanged,
  ClientReenrolled,
  ClientReleased,
  ClientUpdated,
  HostCreated,
  HostDeleted,
  HostStateChanged,
  HostUpdated,
  type ClientAggregate,
  type HostAggregate,
} from './host.events';
import { TASK_STREAM, TaskEntity } from './task.entity';
import { TaskCreated, TaskFailed, TaskSucceeded, type TaskAggregate } from './task.events';
import { toClientAggregate, toHostAggregate, toTaskAggregate } from './host.view';

type Keyed<T> = T & { key: string; version: number };

const unknownEvent = (stream: string, type: string) => new Error(`unknown event ${type} on stream ${stream}`);

/**
 * Clients rebuilt from their events, for `npm run verify:replay`. The heartbeat's time and usage
 * counts, the task counter and the credential itself are operational state and no part of it;
 * whether a credential works (`enrolled`) is.
 */
export const CLIENT_REPLAY: StreamProjection<Keyed<ClientAggregate>> = {
  streamType: CLIENT_STREAM,
  handles: [
    ClientEnrolled.type,
    ClientReenrolled.type,
    ClientUpdated.type,
    ClientMonitorStateChanged.type,
    ClientAdopted.type,
    ClientReleased.type,
  ],
  apply(state, event) {
    const data = event.data as Record<string, unknown>;
    const next = (changes: Partial<ClientAggregate>) => state && { ...state, ...changes, version: event.version };
    switch (event.type) {
      case ClientEnrolled.type:
        return { ...(data as unknown as ClientAggregate), key: event.streamId, version: event.version };
      case ClientReenrolled.type:
        return next({ ...(data.changes as Partial<ClientAggregate>), enrolled: true });
      case ClientUpdated.type:
        return next(data.changes as Partial<ClientAggregate>);
      case ClientMonitorStateChanged.type:
        return next({
          monitor_state: data.monitor_state as ClientAggregate['monitor_state'],
          monitor_message: data.monitor_message as string,
        });
      case ClientAdopted.type:
        return next({ state: ClientState.Adopted });
      case ClientReleased.type:
        return next({ state: ClientState.Free, enrolled: false });
      default:
        throw unknownEvent(CLIENT_STREAM, event.type);
    }
  },
  async load(manager: EntityManager, page) {
    return (await loadEntityPage(manager, ClientEntity, 'uuid', page)).map((c) => ({
      ...toClientAggregate(c),
      key: c.uuid,
      version: c.version,
    }));
  },
};

/**
 * A host's state without what VMs claim of it (used_vcpus, used_memory): operational state that
 * moves with every VM, in the VMs' events, not the host's.
 */
function withoutClaims<T extends HostAggregate>({ used_vcpus: _vcpus, used_memory: _memory, ...host }: T) {
  return host;
}

/** Hosts rebuilt from their events (claims left out: see withoutClaims). */
export const HOST_REPLAY: StreamProjection<Keyed<Omit<HostAggregate, 'used_vcpus' | 'used_memory'>>> = {
  streamType: HOST_STREAM,
  handles: [HostCreated.type, HostUpdated.type, HostStateChanged.type, HostDeleted.type],
  apply(state, event) {
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case HostCreated.type:
        return { ...withoutClaims(data as unknown as HostAggregate), key: event.streamId, version: event.version };
      case HostUpdated.type: {
        const changes = data.changes as Partial<HostAggregate>;
        return state && { ...state, ...withoutClaims({ ...state, ...changes } as HostAggregate), version: event.version };
      }
      case HostStateChanged.type:
        return state && { ...state, state: data.state as HostAggregate['state'], version: event.version };
      case HostDeleted.type:
        return undefined;
      default:
        throw unknownEvent(HOST_STREAM, event.type);
    }
  },
  async load(manager: EntityManager, page) {
    return (await loadEntityPage(manager, HostEntity, 'uuid', page)).map((h) => ({
      ...withoutClaims(toHostAggregate(h)),
      key: h.uuid,
      version: h.version,
    }));
  },
};

/** Tasks rebuilt from their events. */
export const TASK_REPLAY: StreamProjection<Keyed<TaskAggregate>> = {
  streamType: TASK_STREAM,
  handles: [TaskCreated.type, TaskSucceeded.type, TaskFailed.type],
  apply(state, event) {
    const data = event.data as Record<string, unknown>;
    const ended = (taskState: TaskState, message: string) =>
      state && {
        ...state,
        state: taskState,
        message,
        result: data.result as TaskAggregate['result'],
        finished_at: data.finished_at as string,
        updated_at: data.finished_at as string,
        version: event.version,
      };
    switch (event.type) {
      case TaskCreated.type:
        return { ...(data as unknown as TaskAggregate), key: event.streamId, version: event.version };
      case TaskSucceeded.type:
        return ended(TaskState.Succeeded, '');
      case TaskFailed.type:
        return ended(TaskState.Failed, data.message as string);
      default:
        throw unknownEvent(TASK_STREAM, event.type);
    }
  },
  async load(manager: EntityManager, page) {
    return (await loadEntityPage(manager, TaskEntity, 'uuid', page)).map((t) => ({
      ...toTaskAggregate(t),
      key: t.uuid,
      version: t.version,
    }));
  },
};
