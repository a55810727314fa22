import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../platform/config/app-config';
import { CLIENT_STREAM, ClientEntity } from './client.entity';
import { MonitorState, TaskState } from './host.contract';
import { ClientMonitorStateChanged } from './host.events';
import { TaskEntity } from './task.entity';
import { TaskOutcomes } from './task-outcome';

/** The most items one look settles; the rest wait for the next look, a few seconds later. */
const BATCH = 500;

/**
 * Watches over nodes and tasks on every server process: a node silent for heartbeat_interval ×
 * heartbeat_misses seconds becomes unreachable; a task past its deadline fails as timed out. Each
 * change is its own transaction, with its own request id (one operation-log entry each), taken by
 * whichever process locks the row first: the row is locked with SKIP LOCKED and the condition checked
 * again under the lock, so with N processes each change is made, and recorded, exactly once.
 * Times are the database's (`now()`), the same clock for every process.
 */
@Injectable()
export class NodeMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NodeMonitor.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failing = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly outcomes: TaskOutcomes,
  ) {}

  /** Seconds of silence after which a node is unreachable. */
  get silenceLimit(): number {
    return this.config.CHIME_HEARTBEAT_INTERVAL * this.config.CHIME_HEARTBEAT_MISSES;
  }

  onApplicationBootstrap(): void {
    // Looks at least every 4 s, so a silent node is marked within silenceLimit + 5 s.
    const every = Math.min(4, this.config.CHIME_HEARTBEAT_INTERVAL) * 1000;
    this.timer = setInterval(() => void this.look(), every);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One look at silent nodes and overdue tasks; a look still running is not started twice. */
  look(): Promise<void> {
    this.running ??= (async () => {
      try {
        await this.markSilentNodes();
        await this.timeOutTasks();
        if (this.failing) this.logger.log('node monitor works again');
        this.failing = false;
      } catch (error) {
        if (!this.failing) this.logger.warn(`node monitor failed, trying again shortly: ${(error as Error).message}`);
        this.failing = true;
      }
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  private async markSilentNodes(): Promise<void> {
    const silent: { uuid: string }[] = await this.dataSource.query(
      `SELECT uuid FROM clients WHERE monitor_state <> 0 AND heartbeat_at < now() - make_interval(secs => $1) LIMIT ${BATCH}`,
      [this.silenceLimit],
    );
    for (const { uuid } of silent) {
      await this.uow.run(
        systemOrigin('MONITOR', `/v1/client/${uuid}`, { monitor_state: MonitorState.Unreachable }),
        async (tx) => {
          const [node]: { version: number; silent_for: number }[] = await tx.manager.query(
            `SELECT version, extract(epoch FROM now() - heartbeat_at)::int AS silent_for FROM clients
              WHERE uuid = $1 AND monitor_state <> 0 AND heartbeat_at < now() - make_interval(secs => $2)
              FOR UPDATE SKIP LOCKED`,
            [uuid, this.silenceLimit],
          );
          if (!node) return; // another process took it, or it beat meanwhile
          await tx.manager.update(
            ClientEntity,
            { uuid },
            { monitorState: MonitorState.Unreachable, monitorMessage: '', version: node.version + 1 },
          );
          await tx.append({ type: CLIENT_STREAM, id: uuid }, node.version, [
            new ClientMonitorStateChanged({
              uuid,
              monitor_state: MonitorState.Unreachable,
              monitor_message: '',
              silent_for: node.silent_for,
            }),
          ]);
        },
      );
    }
  }

  private async timeOutTasks(): Promise<void> {
    const overdue: { uuid: string }[] = await this.dataSource.query(
      `SELECT uuid FROM tasks WHERE state = 0 AND deadline_at < now() LIMIT ${BATCH}`,
    );
    for (const { uuid } of overdue) {
      await this.uow.run(systemOrigin('TIMEOUT', `/v1/agent/task/${uuid}`, { state: TaskState.Failed }), async (tx) => {
        const [locked]: { uuid: string }[] = await tx.manager.query(
          'SELECT uuid FROM tasks WHERE uuid = $1 AND state = 0 AND deadline_at < now() FOR UPDATE SKIP LOCKED',
          [uuid],
        );
        if (!locked) return;
        const task = await tx.manager.findOneByOrFail(TaskEntity, { uuid });
        const seconds = Math.round((task.deadlineAt.getTime() - task.createdAt.getTime()) / 1000);
        await this.outcomes.settle(tx, task, {
          state: TaskState.Failed,
          message: `timed out: no agent reported an outcome within ${seconds} s`,
        });
      });
    }
  }
}

/** Who caused a change the server made by itself: no user, a request id of its own (one operation-log entry). */
function systemOrigin(method: string, path: string, input: object): Origin {
  return {
    request_id: randomUUID(),
    user_uuid: null,
    user_name: 'system',
    ip: null,
    method,
    path,
    input: JSON.stringify(input),
  };
}
