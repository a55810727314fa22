import { streamReplay } from '@chime/event-log';
import { Global } from '@nestjs/common';
import { FeatureModule } from '../../platform/feature-module';
import { AgentController } from './agent.controller';
import { AgentGuard } from './agent.guard';
import { ClientEntity } from './client.entity';
import { CreateHostHandler } from './commands/create-host';
import { DeleteHostHandler } from './commands/delete-host';
import { EnrolAgentHandler } from './commands/enrol-agent';
import { RecordHeartbeatHandler } from './commands/record-heartbeat';
import { ReportTaskHandler } from './commands/report-task';
import { SetHostStateHandler } from './commands/set-host-state';
import { UpdateHostHandler } from './commands/update-host';
import { HostEntity, HostRowEntity } from './host.entity';
import { HostDetails } from './host-details';
import { HostPort } from './host.port';
import { CLIENT_REPLAY, HOST_REPLAY, TASK_REPLAY } from './host.replay';
import { HostsController, NodesController } from './hosts.controller';
import { HOSTS_IMPORTER } from './hosts.importer';
import { CreateHosts1764300007000 } from './hosts.migration';
import { AddServerSideTasks1764300012500 } from './server-side-tasks.migration';
import { AddTaskSecrets1764300011500 } from './task-secrets.migration';
import { JoinTokenNotice } from './join-token-notice';
import { NodeMonitor } from './node-monitor';
import { GetHostHandler } from './queries/get-host';
import { GetHostStatisticHandler } from './queries/get-host-statistic';
import { ListAgentTasksHandler } from './queries/list-agent-tasks';
import { ListClientsHandler } from './queries/list-clients';
import { ListHostsHandler } from './queries/list-hosts';
import { TaskEntity } from './task.entity';
import { TaskPort } from './task.port';
import { TaskOutcomes } from './task-outcome';
import { TaskWatch } from './task-watch';

/**
 * Compute nodes and their agents (ChimeStack's Host family, and the agent protocol): clients,
 * hosts, and the tasks their agents carry out. Depends on the clusters module through ClusterPort
 * and one foreign key. Global: other modules give nodes work through TaskPort (on hosts HostPort
 * finds), and react to task.events.ts.
 */
@Global()
@FeatureModule({
  entities: [ClientEntity, HostEntity, HostRowEntity, TaskEntity],
  migrations: [CreateHosts1764300007000, AddTaskSecrets1764300011500, AddServerSideTasks1764300012500],
  replay: [streamReplay(CLIENT_REPLAY), streamReplay(HOST_REPLAY), streamReplay(TASK_REPLAY)],
  importers: [HOSTS_IMPORTER],
  controllers: [HostsController, NodesController, AgentController],
  providers: [
    AgentGuard,
    TaskPort,
    TaskOutcomes,
    HostPort,
    HostDetails,
    TaskWatch,
    NodeMonitor,
    JoinTokenNotice,
    EnrolAgentHandler,
    RecordHeartbeatHandler,
    ReportTaskHandler,
    CreateHostHandler,
    UpdateHostHandler,
    SetHostStateHandler,
    DeleteHostHandler,
    GetHostHandler,
    ListHostsHandler,
    ListClientsHandler,
    GetHostStatisticHandler,
    ListAgentTasksHandler,
  ],
  exports: [TaskPort, HostPort, AgentGuard],
})
export class HostsModule {}
