import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { FailedPreconditionError, NotFoundError } from '../../../platform/errors/domain-error';
import { agentOrigin, type AgentCaller } from '../agent.guard';
import { TaskState, type ReportAgentTaskRequest } from '../host.contract';
import { TaskEntity } from '../task.entity';
import { TaskOutcomes } from '../task-outcome';

export class ReportTaskCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly caller: AgentCaller,
    readonly taskUuid: string,
    readonly request: ReportAgentTaskRequest,
  ) {
    super();
  }
}

const ENDED = { [TaskState.Succeeded]: 'succeeded', [TaskState.Failed]: 'failed', [TaskState.Running]: 'running' } as const;

/**
 * An agent reports how one of its node's tasks ended. Applied once: the same outcome reported again
 * (a retry after a lost answer) is "ok" and changes nothing; another outcome, or any report after
 * the task ended otherwise (timed out, its host deleted), is 400 FAILED_PRECONDITION.
 */
@CommandHandler(ReportTaskCommand)
export class ReportTaskHandler implements ICommandHandler<ReportTaskCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly outcomes: TaskOutcomes,
  ) {}

  async execute({ origin, caller, taskUuid, request }: ReportTaskCommand): Promise<'ok'> {
    await this.uow.run(agentOrigin(origin, caller.name), async (tx) => {
      const task = await tx.manager.findOne(TaskEntity, {
        where: { uuid: taskUuid, clientUuid: caller.clientUuid, serverSide: false },
        lock: { mode: 'pessimistic_write' },
      });
      if (!task) throw new NotFoundError(`task ${taskUuid} not found among this node's tasks`);
      if (task.state === TaskState.Running) {
        await this.outcomes.settle(tx, task, request);
        return;
      }
      const sameOutcome =
        task.state === request.state && (task.state === TaskState.Succeeded || task.message === (request.message ?? ''));
      if (!sameOutcome) {
        throw new FailedPreconditionError(
          `task ${taskUuid} has ${ENDED[task.state]} already${task.message ? ` (${task.message})` : ''}; its outcome stays`,
        );
      }
    });
    return 'ok';
  }
}
