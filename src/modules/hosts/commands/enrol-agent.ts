import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type DomainEvent, type Origin } from '@chime/event-log';
import { AppConfig } from '../../../platform/config/app-config';
import { describeUniqueConstraint } from '../../../platform/database/database-errors';
import { UnauthenticatedError } from '../../../platform/errors/domain-error';
import { changedFields } from '../../../platform/domain/changes';
import { issueCredential, joinTokenMatches } from '../agent-credentials';
import { agentOrigin } from '../agent.guard';
import { CLIENT_STREAM, ClientEntity } from '../client.entity';
import { ClientState, MonitorState, type AgentEnrolment, type EnrolAgentRequest, type NodeFacts } from '../host.contract';
import { ClientEnrolled, ClientMonitorStateChanged, ClientReenrolled } from '../host.events';
import { lockClient } from '../host.store';
import { factColumns, factsOf, toClientAggregate } from '../host.view';

describeUniqueConstraint('clients_pkey', 'a node with this uuid is enrolling at this moment; try again');

export class EnrolAgentCommand extends Command<AgentEnrolment> {
  constructor(
    readonly origin: Origin,
    readonly request: EnrolAgentRequest,
  ) {
    super();
  }
}

/** The facts as the node reports them, optional addresses defaulting to "". */
export function reportedFacts(request: NodeFacts): Required<NodeFacts> {
  return {
    name: request.name,
    rack_name: request.rack_name ?? '',
    manage_ip: request.manage_ip,
    node_ip: request.node_ip ?? '',
    storage_ip: request.storage_ip ?? '',
    reserved_ip1: request.reserved_ip1 ?? '',
    reserved_ip2: request.reserved_ip2 ?? '',
    physical_vcpus: request.physical_vcpus,
    physical_memory: request.physical_memory,
  };
}

/**
 * Enrols a node's agent with the server's join token: a new node becomes a client; a known one
 * (same uuid) gets a new credential, which revokes its old one. Either way the node counts as
 * reachable from now on: its enrolment is its first heartbeat.
 */
@CommandHandler(EnrolAgentCommand)
export class EnrolAgentHandler implements ICommandHandler<EnrolAgentCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async execute({ origin, request }: EnrolAgentCommand): Promise<AgentEnrolment> {
    const joinToken = this.config.CHIME_AGENT_JOIN_TOKEN;
    if (joinToken === undefined) {
      throw new UnauthenticatedError('agents cannot enrol: the server has no join token (CHIME_AGENT_JOIN_TOKEN)');
    }
    if (!joinTokenMatches(request.join_token, joinToken)) throw new UnauthenticatedError('wrong join token');
    const facts = reportedFacts(request);
    const { credential, hash } = issueCredential();
    await this.uow.run(agentOrigin(origin, facts.name), async (tx) => {
      const known = await lockClient(tx.manager, request.uuid);
      const now = new Date();
      if (!known) {
        const client: ClientEntity = {
          uuid: request.uuid,
          ...factColumns(facts),
          description: '',
          state: ClientState.Free,
          monitorState: MonitorState.Reachable,
          monitorMessage: '',
          credentialHash: hash,
          heartbeatAt: now,
          domains: 0,
          activeDomains: 0,
          usedVcpus: 0,
          usedMemory: 0,
          activeUsedVcpus: 0,
          activeUsedMemory: 0,
          taskHead: 0,
          version: 1,
          createdAt: now,
        };
        await tx.manager.insert(ClientEntity, client);
        await tx.append({ type: CLIENT_STREAM, id: client.uuid }, 0, [new ClientEnrolled(toClientAggregate(client))]);
        return;
      }
      const changes = changedFields(factsOf(known), facts);
      const events: DomainEvent[] = [new ClientReenrolled({ uuid: known.uuid, changes })];
      if (known.monitorState !== MonitorState.Reachable) {
        events.push(
          new ClientMonitorStateChanged({ uuid: known.uuid, monitor_state: MonitorState.Reachable, monitor_message: '' }),
        );
      }
      await tx.manager.update(
        ClientEntity,
        { uuid: known.uuid },
        {
          ...factColumns(changes),
          credentialHash: hash,
          heartbeatAt: now,
          monitorState: MonitorState.Reachable,
          monitorMessage: '',
          version: known.version + events.length,
        },
      );
      await tx.append({ type: CLIENT_STREAM, id: known.uuid }, known.version, events);
    });
    return {
      client_uuid: request.uuid,
      credential,
      heartbeat_interval: this.config.CHIME_HEARTBEAT_INTERVAL,
      heartbeat_misses: this.config.CHIME_HEARTBEAT_MISSES,
    };
  }
}
