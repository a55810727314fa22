import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type DomainEvent, type Origin } from '@chime/event-log';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../platform/config/app-config';
import { UnauthenticatedError } from '../../../platform/errors/domain-error';
import { changedFields } from '../../../platform/domain/changes';
import { agentOrigin, type AgentCaller } from '../agent.guard';
import { CLIENT_STREAM, ClientEntity } from '../client.entity';
import { MonitorState, type AgentHeartbeat, type AgentHeartbeatRequest, type AgentHostView } from '../host.contract';
import { ClientMonitorStateChanged, ClientUpdated } from '../host.events';
import { lockClient } from '../host.store';
import { factColumns, factsOf } from '../host.view';
import { reportedFacts } from './enrol-agent';

export class RecordHeartbeatCommand extends Command<AgentHeartbeat> {
  constructor(
    readonly origin: Origin,
    readonly caller: AgentCaller,
    readonly request: AgentHeartbeatRequest,
  ) {
    super();
  }
}

/**
 * The heartbeat of an unchanged node, in one statement: it matches only while the node's facts and
 * monitor state are what the agent reports, and then records the time and the usage counts, which
 * are not events. Returns the task head and the node's host.
 */
const QUIET_HEARTBEAT = `
UPDATE clients c
   SET heartbeat_at = now(), domains = $13, active_domains = $14, used_vcpus = $15, used_memory = $16,
       active_used_vcpus = $17, active_used_memory = $18
 WHERE c.uuid = $1 AND c.credential_hash IS NOT NULL AND c.monitor_state = $2 AND c.monitor_message = $3
   AND c.name = $4 AND c.rack_name = $5 AND c.manage_ip = $6 AND c.node_ip = $7 AND c.storage_ip = $8
   AND c.reserved_ip1 = $9 AND c.reserved_ip2 = $10 AND c.physical_vcpus = $11 AND c.physical_memory = $12
RETURNING c.task_head,
  (SELECT json_build_object('uuid', h.uuid, 'az_uuid', h.az_uuid, 'cluster_uuid', h.cluster_uuid, 'state', h.state)
     FROM hosts h WHERE h.uuid = c.uuid) AS host`;

/**
 * Records a heartbeat. Most heartbeats change nothing but the time (one statement, no event); one
 * that brings other facts, or ends the node's silence or error, locks the node's row and records
 * the change as events (an unreachable node becomes reachable here; the monitor marks it
 * unreachable, node-monitor.ts).
 */
@CommandHandler(RecordHeartbeatCommand)
export class RecordHeartbeatHandler implements ICommandHandler<RecordHeartbeatCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async execute({ origin, caller, request }: RecordHeartbeatCommand): Promise<AgentHeartbeat> {
    const facts = reportedFacts(request);
    const message = request.error ?? '';
    const monitorState = message === '' ? MonitorState.Reachable : MonitorState.Error;
    const usage = [
      request.domains,
      request.active_domains,
      request.used_vcpus,
      request.used_memory,
      request.active_used_vcpus,
      request.active_used_memory,
    ];
    const values = [
      caller.clientUuid,
      monitorState,
      message,
      facts.name,
      facts.rack_name,
      facts.manage_ip,
      facts.node_ip,
      facts.storage_ip,
      facts.reserved_ip1,
      facts.reserved_ip2,
      facts.physical_vcpus,
      facts.physical_memory,
      ...usage,
    ];
    const quiet = await this.beat(this.dataSource.manager, values);
    if (quiet) return this.answer(caller, monitorState, quiet);

    const beat = await this.uow.run(agentOrigin(origin, caller.name), async (tx) => {
      const client = await lockClient(tx.manager, caller.clientUuid);
      if (!client || client.credentialHash === null)
        throw new UnauthenticatedError('the agent credential was revoked; enrol again');
      const changes = changedFields(factsOf(client), facts);
      const events: DomainEvent[] = [];
      if (Object.keys(changes).length > 0) events.push(new ClientUpdated({ uuid: client.uuid, changes }));
      if (client.monitorState !== monitorState || client.monitorMessage !== message) {
        events.push(new ClientMonitorStateChanged({ uuid: client.uuid, monitor_state: monitorState, monitor_message: message }));
      }
      await tx.manager.update(
        ClientEntity,
        { uuid: client.uuid },
        { ...factColumns(changes), monitorState, monitorMessage: message, version: client.version + events.length },
      );
      await tx.append({ type: CLIENT_STREAM, id: client.uuid }, client.version, events);
      return this.beat(tx.manager, values);
    });
    if (!beat) throw new UnauthenticatedError('the agent credential was revoked; enrol again');
    return this.answer(caller, monitorState, beat);
  }

  private async beat(
    manager: EntityManager,
    values: unknown[],
  ): Promise<{ task_head: string; host: AgentHostView | null } | undefined> {
    const [rows] = (await manager.query({ name: 'chime_heartbeat', text: QUIET_HEARTBEAT, values } as unknown as string)) as [
      { task_head: string; host: AgentHostView | null }[],
      number,
    ];
    return rows[0];
  }

  private answer(
    caller: AgentCaller,
    monitorState: MonitorState,
    beat: { task_head: string; host: AgentHostView | null },
  ): AgentHeartbeat {
    return {
      client_uuid: caller.clientUuid,
      monitor_state: monitorState,
      heartbeat_interval: this.config.CHIME_HEARTBEAT_INTERVAL,
      heartbeat_misses: this.config.CHIME_HEARTBEAT_MISSES,
      task_head: Number(beat.task_head),
      ...(beat.host ? { host: beat.host } : {}),
    };
  }
}
