import { DurableConsumer, type EventConsumer, type StoredEvent, type Transaction } from '@chime/event-log';
import { In } from 'typeorm';
import { assertIdle } from '../../platform/domain/operations';
import { DomainError, FailedPreconditionError } from '../../platform/errors/domain-error';
import { HostPort } from '../hosts/host.port';
import { TaskPort } from '../hosts/task.port';
import { NicPort } from '../networks/nic.port';
import { SchedulerPort } from '../scheduler/scheduler.port';
import { StoragePort } from '../storage/storage.port';
import { VmState } from './compute.contract';
import { VmOperationFailed, VmOperationSucceeded, VmUpdated } from './compute.events';
import { HOST_MOVE_STREAM, HostMoveEntity, HostMoveVmEntity, type HostMoveStepState } from './host-move.entity';
import { HostMoveFinished, HostMoveStarted, HostMoveStepFinished, HostMoveStepStarted } from './host-moves.events';
import { VmEntity, VmVolumeEntity } from './vm.entity';
import { changeVm, hostsBeingEmptied, VM_ROWS, volumesOf } from './vm.store';
import { VmMoves } from './vm-moves';
import { assertVmState, VmTasks } from './vm-tasks';

/** Steps whose tasks run at once, per move: a host's VMs move a few at a time, not all at once. */
export const STEPS_IN_FLIGHT = 4;
/** Local storage (a pool of type 0): a volume only its host reaches. */
const LOCAL_POOL = 0;

type Ended = Exclude<HostMoveStepState, 'pending' | 'running'>;

/**
 * The process manager of drainHost, migrateHost and rebuildHost, on the event log: it starts the
 * VMs' steps (stop, migrate, rebuild) a few at a time when a move starts, records each step when
 * its VM's task ends (VmOperationSucceeded/Failed with the step's task uuid) and starts the next,
 * and finishes the move (the host's server-side task ended with the counts and reasons). Its state
 * is its own tables; everything it does commits with its checkpoint, so after a crash it goes on
 * from the last event it handled: no step is started twice and none is forgotten. A step that
 * cannot start (the VM busy, no host fits) fails with the reason, once.
 */
@DurableConsumer('compute-host-moves', { reactsTo: [HostMoveStarted.type, VmOperationSucceeded.type, VmOperationFailed.type] })
export class HostMovesManager implements EventConsumer {
  constructor(
    private readonly hosts: HostPort,
    private readonly tasks: TaskPort,
    private readonly scheduler: SchedulerPort,
    private readonly storage: StoragePort,
    private readonly nics: NicPort,
    private readonly vmTasks: VmTasks,
    private readonly vmMoves: VmMoves,
  ) {}

  async handle(event: StoredEvent, tx: Transaction): Promise<void> {
    if (event.type === HostMoveStarted.type) {
      await this.advance(tx, (event.data as HostMoveStarted['data']).uuid);
      return;
    }
    const { task_uuid: taskUuid } = event.data as VmOperationSucceeded['data'];
    const found = await tx.manager.findOne(HostMoveVmEntity, { where: { taskUuid, state: 'running' } });
    if (!found) return;
    const move = await this.lockMove(tx, found.moveUuid);
    const step = await tx.manager.findOneOrFail(HostMoveVmEntity, { where: { moveUuid: found.moveUuid, vmUuid: found.vmUuid } });
    if (!move || step.state !== 'running') return;
    if (event.type === VmOperationSucceeded.type) {
      await this.finishStep(tx, move, step, 'succeeded', '');
    } else {
      if (move.kind === 'rebuild') await this.failRebuiltVm(tx, step.vmUuid);
      await this.finishStep(tx, move, step, 'failed', (event.data as VmOperationFailed['data']).message || 'its task failed');
    }
    await this.advance(tx, move.uuid);
  }

  private async lockMove(tx: Transaction, uuid: string): Promise<HostMoveEntity | null> {
    return tx.manager.findOne(HostMoveEntity, { where: { uuid }, lock: { mode: 'pessimistic_write' } });
  }

  /** Starts steps while fewer than STEPS_IN_FLIGHT run; finishes the move when none is left. */
  private async advance(tx: Transaction, moveUuid: string): Promise<void> {
    const move = await this.lockMove(tx, moveUuid);
    if (!move || move.state !== 'running') return;
    const steps = await tx.manager.find(HostMoveVmEntity, { where: { moveUuid }, order: { position: 'ASC' } });
    let running = steps.filter((step) => step.state === 'running').length;
    for (const step of steps) {
      if (running >= STEPS_IN_FLIGHT) break;
      if (step.state !== 'pending') continue;
      if (await this.startStep(tx, move, step)) running++;
    }
    if (running > 0) return;
    const left = await tx.manager.count(HostMoveVmEntity, { where: { moveUuid, state: In(['pending', 'running']) } });
    if (left === 0) await this.finish(tx, move);
  }

  /** Starts a VM's step; true when its task runs now, false when it ended at once (skipped, or failed with why). */
  private async startStep(tx: Transaction, move: HostMoveEntity, step: HostMoveVmEntity): Promise<boolean> {
    const vm = await VM_ROWS.findOne(tx.manager, { uuid: step.vmUuid }, { lock: true });
    const skip = vm ? await this.skipReason(tx, move, vm) : 'the VM is gone';
    if (skip || !vm) {
      await this.finishStep(tx, move, step, 'skipped', skip);
      return false;
    }
    // A step that cannot start leaves nothing behind: what it wrote before the refusal is undone.
    await tx.manager.query('SAVEPOINT host_move_step');
    try {
      const { taskUuid, targetHostUuid } = await this.startTask(tx, move, vm);
      await tx.manager.query('RELEASE SAVEPOINT host_move_step');
      await tx.manager.update(
        HostMoveVmEntity,
        { moveUuid: move.uuid, vmUuid: vm.uuid },
        { state: 'running', taskUuid, targetHostUuid },
      );
      await this.record(
        tx,
        move,
        {},
        new HostMoveStepStarted({ uuid: move.uuid, vm_uuid: vm.uuid, task_uuid: taskUuid, target_host_uuid: targetHostUuid }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await tx.manager.query('ROLLBACK TO SAVEPOINT host_move_step');
      await this.finishStep(tx, move, step, 'failed', error.message);
      return false;
    }
  }

  /** Why a VM has nothing to do in this move, or ''. */
  private async skipReason(tx: Transaction, move: HostMoveEntity, vm: VmEntity): Promise<string> {
    if (vm.hostUuid !== move.hostUuid) return `the VM is on host ${vm.hostUuid} now`;
    if (move.kind === 'drain' && vm.state === VmState.Stopped) return 'stopped already';
    if (move.kind === 'drain' && vm.state === VmState.Failed) return 'failed: nothing runs';
    if (move.kind === 'migrate' && !move.migrateLocalDiskVms) {
      const volumes = await this.storage.forAgent(
        tx.manager,
        (await volumesOf(tx.manager, vm.uuid)).map((v) => v.volumeUuid),
      );
      const local = volumes.filter((volume) => volume.pool_type === LOCAL_POOL).length;
      if (local > 0) return `left on the host: ${local} volume(s) on local storage (migrate_local_disk_vms is false)`;
    }
    return '';
  }

  private async startTask(
    tx: Transaction,
    move: HostMoveEntity,
    vm: VmEntity,
  ): Promise<{ taskUuid: string; targetHostUuid: string }> {
    const target = move.targetHostUuid || undefined;
    switch (move.kind) {
      case 'drain': {
        assertVmState(vm, [VmState.Running], 'stopped');
        const { task } = await this.vmTasks.start(tx, vm, 'stop', {});
        return { taskUuid: task.uuid, targetHostUuid: '' };
      }
      case 'migrate': {
        const targetHostUuid = await this.vmMoves.migrate(tx, vm, { targetHostUuid: target, withLocalDisks: true });
        const [task] = await this.tasks.recent(tx.manager, 'vm', vm.uuid, 1);
        return { taskUuid: task.uuid, targetHostUuid };
      }
      case 'rebuild':
        return this.rebuild(tx, vm, target);
    }
  }

  /**
   * Rebuilds a VM of an unreachable host on another: the target is claimed and the dead host's
   * claim given back, the VM is on the target from now (VmUpdated) with its volumes as
   * StoragePort.rebuildOn leaves them (lost local volumes detached), the target's agent makes it
   * (`vm/rebuild`), and the dead host's agent is told to let it go when it comes back (`vm/release`).
   */
  private async rebuild(
    tx: Transaction,
    vm: VmEntity,
    targetHostUuid?: string,
  ): Promise<{ taskUuid: string; targetHostUuid: string }> {
    assertVmState(vm, [VmState.Running, VmState.Stopped], 'rebuilt');
    assertIdle('VM', vm.uuid, vm.operation);
    const source = vm.hostUuid;
    const [target] = await this.scheduler.candidates(tx.manager, {
      vmUuid: vm.uuid,
      clusterUuid: vm.clusterUuid,
      vcpus: vm.vcpus,
      memory: vm.memory,
      hostUuid: targetHostUuid,
      excluded: new Set([source, ...(await hostsBeingEmptied(tx.manager, vm.clusterUuid))]),
    });
    const claim = { vcpus: vm.vcpus, memory: vm.memory };
    if (!(await this.hosts.claim(tx.manager, target.uuid, claim))) {
      throw new FailedPreconditionError(`host ${target.uuid} was taken by a concurrent placement`);
    }
    await this.hosts.release(tx.manager, source, claim);
    const before = (await volumesOf(tx.manager, vm.uuid)).map((volume) => volume.volumeUuid);
    const { volumes, recreated, lost } = await this.storage.rebuildOn(tx, before, target.uuid);
    if (lost.length > 0) await tx.manager.delete(VmVolumeEntity, { vmUuid: vm.uuid, volumeUuid: In(lost) });
    const after = before.filter((uuid) => !lost.includes(uuid));
    await this.tasks.create(tx, {
      clientUuid: source,
      resourceType: 'vm',
      resourceUuid: vm.uuid,
      operation: 'release',
      description: `release-vm-${vm.uuid}`,
      payload: { local_volumes: recreated },
    });
    const moved = await changeVm(
      tx,
      vm,
      { hostUuid: target.uuid, lastHostUuid: source },
      (changes) => new VmUpdated({ uuid: vm.uuid, changes }),
      { before, after },
    );
    const { task } = await this.vmTasks.start(tx, moved, 'rebuild', {
      source_host_uuid: source,
      target_host_uuid: target.uuid,
      live: vm.state === VmState.Running,
      name: vm.name,
      vcpus: vm.vcpus,
      memory: vm.memory,
      boot_type: vm.bootType,
      volumes,
      local_volumes: recreated,
      lost_volumes: lost,
      nics: await this.nics.forAgent(tx.manager, vm.uuid),
    });
    return { taskUuid: task.uuid, targetHostUuid: target.uuid };
  }

  /** A rebuild whose task failed: the VM exists nowhere — failed, its claim on the target given back. */
  private async failRebuiltVm(tx: Transaction, vmUuid: string): Promise<void> {
    const vm = await VM_ROWS.findOne(tx.manager, { uuid: vmUuid }, { lock: true });
    if (!vm || vm.state === VmState.Failed) return;
    const volumes = (await volumesOf(tx.manager, vm.uuid)).map((volume) => volume.volumeUuid);
    await changeVm(tx, vm, { state: VmState.Failed }, (changes) => new VmUpdated({ uuid: vm.uuid, changes }), {
      before: volumes,
      after: volumes,
    });
    await this.hosts.release(tx.manager, vm.hostUuid, { vcpus: vm.vcpus, memory: vm.memory });
  }

  private async finishStep(
    tx: Transaction,
    move: HostMoveEntity,
    step: HostMoveVmEntity,
    state: Ended,
    message: string,
  ): Promise<void> {
    step.state = state;
    step.message = message;
    await tx.manager.update(HostMoveVmEntity, { moveUuid: move.uuid, vmUuid: step.vmUuid }, { state, message });
    move[state] += 1;
    await this.record(
      tx,
      move,
      { [state]: move[state] },
      new HostMoveStepFinished({ uuid: move.uuid, vm_uuid: step.vmUuid, state, message }),
    );
  }

  /** Every step ended: the move and the host's task end, with the counts and each failure's and skip's reason. */
  private async finish(tx: Transaction, move: HostMoveEntity): Promise<void> {
    const steps = await tx.manager.find(HostMoveVmEntity, { where: { moveUuid: move.uuid }, order: { position: 'ASC' } });
    const listed = (state: Ended) =>
      steps.filter((step) => step.state === state).map((step) => ({ vm_uuid: step.vmUuid, message: step.message }));
    const failures = listed('failed');
    const done = { drain: 'stopped', migrate: 'migrated', rebuild: 'rebuilt' }[move.kind];
    const now = new Date();
    const state = failures.length === 0 ? 'succeeded' : 'failed';
    await this.tasks.end(tx, move.taskUuid, {
      succeeded: failures.length === 0,
      message:
        failures.length === 0
          ? ''
          : `${failures.length} of ${move.total} VM(s) failed: ${failures
              .slice(0, 3)
              .map((failure) => `${failure.vm_uuid}: ${failure.message}`)
              .join('; ')}${failures.length > 3 ? '; …' : ''}`,
      result: {
        total: move.total,
        [done]: move.succeeded,
        failed: move.failed,
        skipped: move.skipped,
        failures,
        skipped_vms: listed('skipped'),
      },
    });
    move.state = state;
    move.finishedAt = now;
    await this.record(
      tx,
      move,
      { state, finishedAt: now },
      new HostMoveFinished({
        uuid: move.uuid,
        state,
        succeeded: move.succeeded,
        failed: move.failed,
        skipped: move.skipped,
        finished_at: now.toISOString(),
      }),
    );
  }

  /** Saves a change of the move (its row locked) with its event, at its next version. */
  private async record(
    tx: Transaction,
    move: HostMoveEntity,
    changes: Partial<HostMoveEntity>,
    event: HostMoveStepStarted | HostMoveStepFinished | HostMoveFinished,
  ): Promise<void> {
    await tx.manager.update(HostMoveEntity, { uuid: move.uuid }, { ...changes, version: move.version + 1 });
    await tx.append({ type: HOST_MOVE_STREAM, id: move.uuid }, move.version, [event]);
    move.version += 1;
  }
}
