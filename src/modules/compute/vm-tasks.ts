import { Injectable } from '@nestjs/common';
import type { Transaction } from '@chime/event-log';
import { assertIdle, started } from '../../platform/domain/operations';
import { FailedPreconditionError } from '../../platform/errors/domain-error';
import { HostPort, HostState } from '../hosts/host.port';
import { TaskPort, type TaskView } from '../hosts/task.port';
import { VmState } from './compute.contract';
import { VmOperationStarted } from './compute.events';
import type { VmEntity } from './vm.entity';
import { changeVm } from './vm.store';

const STATE_NAMES: Record<VmState, string> = {
  [VmState.Unavailable]: 'being created',
  [VmState.Running]: 'running',
  [VmState.Stopped]: 'stopped',
  [VmState.Failed]: 'failed',
};

/** 400 unless the VM is in one of `states`, naming the state it is in. */
export function assertVmState(vm: VmEntity, states: VmState[], doing: string): void {
  if (!states.includes(vm.state)) {
    throw new FailedPreconditionError(`VM ${vm.uuid} is ${STATE_NAMES[vm.state]}; it cannot be ${doing}`);
  }
}

/**
 * Work on a VM is a task for its host's agent: one thing at a time on a VM (busy → 400), its host
 * reachable and not suspended, and the VM shows the operation (`Starting#<request id>` …) until the task ends.
 */
@Injectable()
export class VmTasks {
  constructor(
    private readonly hosts: HostPort,
    private readonly tasks: TaskPort,
  ) {}

  async start(
    tx: Transaction,
    vm: VmEntity,
    operation: string,
    payload: Record<string, unknown>,
    options: { changes?: Partial<VmEntity>; volumes?: { before: string[]; after: string[] }; hostUuid?: string } = {},
  ): Promise<{ vm: VmEntity; task: TaskView }> {
    assertIdle('VM', vm.uuid, vm.operation);
    await this.hosts.assertReachable(tx.manager, vm.hostUuid, `VM ${vm.uuid}`);
    const host = (await this.hosts.summaries([vm.hostUuid], tx.manager)).get(vm.hostUuid);
    if (host?.state === HostState.Suspended) {
      throw new FailedPreconditionError(`VM ${vm.uuid} is on host ${vm.hostUuid}, which is suspended: no operations on its VMs`);
    }
    const task = await this.tasks.create(tx, {
      clientUuid: options.hostUuid ?? vm.hostUuid,
      resourceType: 'vm',
      resourceUuid: vm.uuid,
      operation,
      description: `${operation}-vm-${vm.uuid}`,
      payload,
    });
    const next = await changeVm(
      tx,
      vm,
      { ...options.changes, ...started(operation, tx.metadata.request_id, new Date()) },
      (changes) => new VmOperationStarted({ uuid: vm.uuid, task_uuid: task.uuid, changes }),
      options.volumes,
    );
    return { vm: next, task };
  }
}
