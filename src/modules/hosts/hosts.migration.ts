import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateHosts1764300007000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE clients (
        uuid                uuid        PRIMARY KEY,
        name                text        NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
        description         text        NOT NULL DEFAULT '',
        state               smallint    NOT NULL CHECK (state IN (0, 1)),
        rack_name           text        NOT NULL DEFAULT '',
        manage_ip           text        NOT NULL,
        node_ip             text        NOT NULL DEFAULT '',
        storage_ip          text        NOT NULL DEFAULT '',
        reserved_ip1        text        NOT NULL DEFAULT '',
        reserved_ip2        text        NOT NULL DEFAULT '',
        physical_vcpus      integer     NOT NULL CHECK (physical_vcpus >= 0),
        physical_memory     bigint      NOT NULL CHECK (physical_memory >= 0),
        monitor_state       smallint    NOT NULL CHECK (monitor_state IN (0, 1, 2)),
        monitor_message     text        NOT NULL DEFAULT '',
        credential_hash     text        UNIQUE,
        heartbeat_at        timestamptz,
        domains             integer     NOT NULL DEFAULT 0,
        active_domains      integer     NOT NULL DEFAULT 0,
        used_vcpus          integer     NOT NULL DEFAULT 0,
        used_memory         bigint      NOT NULL DEFAULT 0,
        active_used_vcpus   integer     NOT NULL DEFAULT 0,
        active_used_memory  bigint      NOT NULL DEFAULT 0,
        task_head           bigint      NOT NULL DEFAULT 0,
        version             integer     NOT NULL,
        created_at          timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX clients_created_at_idx ON clients (created_at, uuid)');
    // The monitor's look for silent nodes reads only the nodes it has not marked unreachable yet.
    await q.query('CREATE INDEX clients_heartbeat_idx ON clients (heartbeat_at) WHERE monitor_state <> 0');

    // hosts_cluster_uuid_fkey references the clusters module's table by name (as networks do): a cluster
    // that still holds hosts cannot be deleted, race-free, and deleteCluster needs no change.
    await q.query(`
      CREATE TABLE hosts (
        uuid             uuid             PRIMARY KEY,
        az_uuid          uuid             NOT NULL,
        cluster_uuid     uuid             NOT NULL,
        description      text             NOT NULL DEFAULT '',
        state            smallint         NOT NULL CHECK (state IN (0, 1, 2)),
        cpu_ratio        double precision NOT NULL CHECK (cpu_ratio > 0 AND cpu_ratio <= 100),
        memory_ratio     double precision NOT NULL CHECK (memory_ratio > 0 AND memory_ratio <= 100),
        reserved_vcpus   integer          NOT NULL CHECK (reserved_vcpus >= 0),
        reserved_memory  bigint           NOT NULL CHECK (reserved_memory >= 0),
        used_vcpus       integer          NOT NULL DEFAULT 0 CHECK (used_vcpus >= 0),
        used_memory      bigint           NOT NULL DEFAULT 0 CHECK (used_memory >= 0),
        version          integer          NOT NULL,
        created_at       timestamptz      NOT NULL,
        CONSTRAINT hosts_client_fkey FOREIGN KEY (uuid) REFERENCES clients (uuid) ON DELETE RESTRICT,
        CONSTRAINT hosts_cluster_uuid_fkey FOREIGN KEY (cluster_uuid) REFERENCES clusters (uuid) ON DELETE RESTRICT
      )`);
    await q.query('CREATE INDEX hosts_cluster_created_at_idx ON hosts (cluster_uuid, created_at, uuid)');

    await q.query(`
      CREATE TABLE tasks (
        uuid           uuid        PRIMARY KEY,
        client_uuid    uuid        NOT NULL REFERENCES clients (uuid) ON DELETE RESTRICT,
        seq            bigint      NOT NULL,
        request_id     uuid,
        description    text        NOT NULL DEFAULT '',
        state          smallint    NOT NULL CHECK (state IN (0, 1, 2)),
        resource_type  text        NOT NULL,
        resource_uuid  uuid        NOT NULL,
        operation      text        NOT NULL,
        payload        jsonb       NOT NULL,
        result         jsonb,
        message        text        NOT NULL DEFAULT '',
        version        integer     NOT NULL,
        created_at     timestamptz NOT NULL,
        updated_at     timestamptz NOT NULL,
        deadline_at    timestamptz NOT NULL,
        finished_at    timestamptz,
        CONSTRAINT tasks_client_seq_key UNIQUE (client_uuid, seq)
      )`);
    await q.query('CREATE INDEX tasks_deadline_idx ON tasks (deadline_at) WHERE state = 0');
    await q.query('CREATE INDEX tasks_resource_idx ON tasks (resource_uuid, created_at DESC, seq DESC)');

    await q.query(`
      CREATE VIEW host_rows AS
      SELECT h.uuid, h.az_uuid, h.cluster_uuid, c.name, h.description, h.state, h.cpu_ratio, h.memory_ratio,
             h.reserved_vcpus, h.reserved_memory, h.used_vcpus, h.used_memory, h.created_at,
             c.rack_name, c.manage_ip, c.node_ip, c.storage_ip, c.reserved_ip1, c.reserved_ip2,
             c.physical_vcpus, c.physical_memory, c.domains, c.active_domains, c.monitor_state, c.monitor_message, c.heartbeat_at,
             t.uuid AS last_task_uuid, t.operation AS last_operation_name, t.state AS last_operation_state,
             t.created_at AS last_operation_created_at, t.finished_at AS last_operation_finished_at
        FROM hosts h
        JOIN clients c ON c.uuid = h.uuid
        LEFT JOIN LATERAL (
          SELECT uuid, operation, state, created_at, finished_at FROM tasks
           WHERE resource_uuid = h.uuid AND resource_type = 'host'
           ORDER BY created_at DESC, seq DESC LIMIT 1
        ) t ON true`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP VIEW host_rows');
    await q.query('DROP TABLE tasks');
    await q.query('DROP TABLE hosts');
    await q.query('DROP TABLE clients');
  }
}
