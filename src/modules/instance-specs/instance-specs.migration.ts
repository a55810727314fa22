import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateInstanceSpecs1764300006400 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE instance_specs (
        uuid           uuid        PRIMARY KEY,
        name           text        NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
        description    text        NOT NULL DEFAULT '',
        vcpus          integer     NOT NULL CHECK (vcpus BETWEEN 1 AND 1024),
        memory         bigint      NOT NULL CHECK (memory BETWEEN 1 AND 17592186044416),
        type           smallint    NOT NULL CHECK (type IN (0, 1)),
        state          smallint    NOT NULL CHECK (state = 1),
        cluster_count  integer     NOT NULL CHECK (cluster_count >= 0),
        version        integer     NOT NULL,
        created_at     timestamptz NOT NULL
      )`);
    await q.query('CREATE UNIQUE INDEX instance_specs_name_key ON instance_specs (lower(name))');
    await q.query('CREATE INDEX instance_specs_created_at_idx ON instance_specs (created_at, uuid)');
    // No foreign key to clusters: a cluster is deleted first, and the cluster-deleted consumer
    // removes its registrations afterwards. The key to instance_specs keeps a registered spec.
    await q.query(`
      CREATE TABLE cluster_instance_specs (
        cluster_uuid        uuid        NOT NULL,
        instance_spec_uuid  uuid        NOT NULL,
        created_at          timestamptz NOT NULL,
        CONSTRAINT cluster_instance_specs_pkey PRIMARY KEY (cluster_uuid, instance_spec_uuid),
        CONSTRAINT cluster_instance_specs_spec_fkey FOREIGN KEY (instance_spec_uuid)
          REFERENCES instance_specs (uuid) ON DELETE RESTRICT
      )`);
    await q.query('CREATE INDEX cluster_instance_specs_spec_idx ON cluster_instance_specs (instance_spec_uuid)');
    await q.query(`
      CREATE VIEW cluster_instance_spec_list AS
        SELECT r.cluster_uuid, r.instance_spec_uuid, r.created_at, s.name, s.vcpus, s.memory
          FROM cluster_instance_specs r JOIN instance_specs s ON s.uuid = r.instance_spec_uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP VIEW cluster_instance_spec_list');
    await q.query('DROP TABLE cluster_instance_specs');
    await q.query('DROP TABLE instance_specs');
  }
}
