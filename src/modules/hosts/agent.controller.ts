import { Body, Controller, Get, HttpCode, HttpStatus, Post, Put, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiDoc } from '../../platform/http/api-docs';
import { describeApiTag } from '../../platform/http/openapi';
import { Public } from '../../platform/http/public.decorator';
import { UuidParam } from '../../platform/http/validation';
import { AgentHeartbeatDto, AgentTaskListParams, EnrolAgentDto, ReportAgentTaskDto } from './agent.dto';
import { CurrentAgent, ForAgents, type AgentCaller } from './agent.port';
import { EnrolAgentCommand } from './commands/enrol-agent';
import { RecordHeartbeatCommand } from './commands/record-heartbeat';
import { ReportTaskCommand } from './commands/report-task';
import { MAX_TASK_WAIT, type AgentEnrolment, type AgentHeartbeat, type AgentTaskPage } from './host.contract';
import { AgentEnrolmentSchema, AgentHeartbeatSchema, AgentTaskPageSchema } from './host.schemas';
import { ListAgentTasksQuery } from './queries/list-agent-tasks';
import type { Origin } from '@chime/event-log';
import { RequestOrigin } from '../../platform/http/request-origin.decorator';

describeApiTag(
  'agent',
  'The protocol of the node agents (one per compute node; README, "The agent protocol"): enrolment with the ' +
    "server's join token, heartbeats with the node's facts, and the node's tasks: watched from a cursor, " +
    'reported once. Authenticated by the agent credential, not by a user token.',
);

@ApiTags('agent')
@Controller('v1/agent')
export class AgentController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('enrol')
  @HttpCode(HttpStatus.OK)
  @Public()
  @ApiDoc({
    summary: "enrol a node's agent",
    description:
      "With the server's join token (CHIME_AGENT_JOIN_TOKEN; 401 when it is wrong or the server has none). A new " +
      '`uuid` becomes a client; a known one gets a new credential, which revokes its old one. The credential is ' +
      'shown only in this answer.',
    result: { agent: AgentEnrolmentSchema },
    errors: [401],
  })
  async enrolAgent(@RequestOrigin() origin: Origin, @Body() body: EnrolAgentDto): Promise<{ agent: AgentEnrolment }> {
    return { agent: await this.commands.execute(new EnrolAgentCommand(origin, body)) };
  }

  @Post('heartbeat')
  @HttpCode(HttpStatus.OK)
  @ForAgents()
  @ApiDoc({
    summary: 'report a heartbeat',
    description:
      "Every `heartbeat_interval` seconds, with the node's facts and usage; a non-empty `error` puts the node in " +
      'monitor state 2. Answers whether the node is a host yet, and the number of its last task.',
    result: { heartbeat: AgentHeartbeatSchema },
  })
  async agentHeartbeat(
    @RequestOrigin() origin: Origin,
    @CurrentAgent() caller: AgentCaller,
    @Body() body: AgentHeartbeatDto,
  ): Promise<{ heartbeat: AgentHeartbeat }> {
    return { heartbeat: await this.commands.execute(new RecordHeartbeatCommand(origin, caller, body)) };
  }

  @Get('task')
  @ForAgents()
  @ApiDoc({
    summary: "watch the node's tasks",
    description:
      'The tasks numbered above `after` (at most `limit`, in `state` when given), in order. With none and `wait` ' +
      `(up to ${MAX_TASK_WAIT} s), the answer waits until a task is created for the node, or until \`wait\` ends. ` +
      'Pass `next` as `after` to go on.',
    result: AgentTaskPageSchema,
  })
  listAgentTask(
    @CurrentAgent() caller: AgentCaller,
    @Query() query: AgentTaskListParams,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AgentTaskPage> {
    // 'close' comes when the answer is sent, or earlier when the agent hangs up: a watch ends then.
    const hangUp = new AbortController();
    res.once('close', () => hangUp.abort());
    return this.queries.execute(new ListAgentTasksQuery(caller, query, hangUp.signal));
  }

  @Put('task/:TaskUuid')
  @ForAgents()
  @ApiDoc({
    summary: 'report how a task ended',
    description:
      '`state` 1 succeeded or 2 failed (with a `message`). The same report again is harmless and changes nothing; ' +
      "another outcome, or a report after the task timed out, is 400 FAILED_PRECONDITION; another node's task is 404.",
    result: { task: 'ok' },
  })
  async reportAgentTask(
    @RequestOrigin() origin: Origin,
    @CurrentAgent() caller: AgentCaller,
    @UuidParam('TaskUuid') taskUuid: string,
    @Body() body: ReportAgentTaskDto,
  ): Promise<{ task: 'ok' }> {
    return { task: await this.commands.execute(new ReportTaskCommand(origin, caller, taskUuid, body)) };
  }
}
