import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { AgentCaller } from '../agent.guard';
import type { AgentTaskPage } from '../host.contract';
import type { AgentTaskListParams } from '../agent.dto';
import { TaskEntity } from '../task.entity';
import { TaskWatch } from '../task-watch';
import { toAgentTaskView } from '../host.view';

export class ListAgentTasksQuery extends Query<AgentTaskPage> {
  constructor(
    readonly caller: AgentCaller,
    readonly params: AgentTaskListParams,
    /** Aborted when the agent hangs up: a watch then ends at once. */
    readonly signal?: AbortSignal,
  ) {
    super();
  }
}

/**
 * An agent's watch on its node's tasks: those numbered above `after` (in `state`, when given), at
 * once; with none and `wait`, it waits up to that many seconds for one (TaskWatch), then reads again.
 */
@QueryHandler(ListAgentTasksQuery)
export class ListAgentTasksHandler implements IQueryHandler<ListAgentTasksQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly watch: TaskWatch,
  ) {}

  async execute({ caller, params, signal }: ListAgentTasksQuery): Promise<AgentTaskPage> {
    if (params.wait === 0 || this.watch.closing) return this.read(caller, params);
    const woken = this.watch.wait(caller.clientUuid, params.after, params.wait * 1000, signal);
    const first = await this.read(caller, params);
    if (first.size > 0 || signal?.aborted) return first;
    await woken;
    // Stopping: answer with what was read (nothing), not from a database about to close.
    if (this.watch.closing) return first;
    return this.read(caller, params);
  }

  private async read({ clientUuid }: AgentCaller, { after, state, limit }: AgentTaskListParams): Promise<AgentTaskPage> {
    const rows: (Record<string, unknown> & { head: string })[] = await this.dataSource.query(
      `SELECT t.*, c.task_head AS head
         FROM clients c
         LEFT JOIN LATERAL (
           SELECT uuid FROM tasks WHERE client_uuid = c.uuid AND seq > $2 AND NOT server_side AND ($3::smallint IS NULL OR state = $3)
            ORDER BY seq LIMIT $4
         ) t ON true
        WHERE c.uuid = $1`,
      [clientUuid, after, state ?? null, limit],
    );
    const head = Number(rows[0]?.head ?? 0);
    const uuids = rows.map((row) => row.uuid as string | null).filter((uuid): uuid is string => uuid !== null);
    const tasks =
      uuids.length === 0
        ? []
        : await this.dataSource.manager.find(TaskEntity, { where: uuids.map((uuid) => ({ uuid })), order: { seq: 'ASC' } });
    const elements = tasks.map(toAgentTaskView);
    return { elements, size: elements.length, next: elements.at(-1)?.seq ?? after, head };
  }
}
