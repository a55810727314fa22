import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateNetworks1764300006000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    // networks_cluster_uuid_fkey references the clusters table by name: a database-level dependency
    // this module declares on the clusters module's table (the lint rule chime/module-boundaries is
    // about TypeScript imports; no file of the clusters module is imported). It makes "a cluster that
    // still holds networks cannot be deleted" the database's rule, race-free, with no change to that
    // module: its deleteCluster fails on this key, and network.store.ts gives the failure its message.
    await q.query(`
      CREATE TABLE networks (
        uuid            uuid        PRIMARY KEY,
        az_uuid         uuid        NOT NULL,
        cluster_uuid    uuid        NOT NULL,
        name            text        NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
        description     text        NOT NULL DEFAULT '',
        bridge_name     text        NOT NULL,
        interface_name  text        NOT NULL,
        type            smallint    NOT NULL CHECK (type IN (0, 1, 2)),
        vlan_id         integer     CHECK (CASE type WHEN 0 THEN vlan_id IS NULL
                                                     WHEN 1 THEN vlan_id BETWEEN 1 AND 4094
                                                     ELSE vlan_id BETWEEN 1 AND 16777215 END),
        state           smallint    NOT NULL CHECK (state IN (0, 1)),
        version         integer     NOT NULL,
        created_at      timestamptz NOT NULL,
        CONSTRAINT networks_cluster_uuid_fkey FOREIGN KEY (cluster_uuid) REFERENCES clusters (uuid) ON DELETE RESTRICT
      )`);
    await q.query('CREATE UNIQUE INDEX networks_cluster_name_key ON networks (cluster_uuid, lower(name))');
    await q.query('CREATE UNIQUE INDEX networks_cluster_bridge_key ON networks (cluster_uuid, bridge_name)');
    // One network per L2 segment: a VLAN id on one interface, a VXLAN VNI in the whole cluster.
    await q.query(
      'CREATE UNIQUE INDEX networks_cluster_vlan_key ON networks (cluster_uuid, interface_name, vlan_id) WHERE type = 1',
    );
    await q.query('CREATE UNIQUE INDEX networks_cluster_vni_key ON networks (cluster_uuid, vlan_id) WHERE type = 2');
    await q.query('CREATE INDEX networks_cluster_created_at_idx ON networks (cluster_uuid, created_at, uuid)');

    await q.query(`
      CREATE TABLE subnets (
        uuid          uuid        PRIMARY KEY,
        network_uuid  uuid        NOT NULL,
        name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
        description   text        NOT NULL DEFAULT '',
        cidr          text        NOT NULL,
        gateway       text        NOT NULL,
        reserved_ips  text        NOT NULL,
        type          smallint    NOT NULL CHECK (type IN (0, 1)),
        state         smallint    NOT NULL CHECK (state IN (0, 1)),
        version       integer     NOT NULL,
        created_at    timestamptz NOT NULL,
        -- A network that holds subnets cannot be deleted: the database refuses it, race-free.
        CONSTRAINT subnets_network_uuid_fkey FOREIGN KEY (network_uuid) REFERENCES networks (uuid) ON DELETE RESTRICT
      )`);
    await q.query('CREATE UNIQUE INDEX subnets_network_name_key ON subnets (network_uuid, lower(name))');
    await q.query('CREATE INDEX subnets_network_created_at_idx ON subnets (network_uuid, created_at, uuid)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE subnets');
    await q.query('DROP TABLE networks');
  }
}
