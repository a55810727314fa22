import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Storage pools, volume specifications (and their registration in clusters), volumes and their
 * snapshots. The foreign keys are the rules "what is still used is not deleted": a cluster with
 * pools, a pool with specs or volumes, a spec or an image volumes were made from, a host holding
 * volumes, a volume with snapshots (storage.store.ts names each one for the 400 it becomes).
 */
export class CreateStorage1764300009000 implements MigrationInterface {
  name = 'CreateStorage1764300009000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE storage_pools (
        uuid           uuid             PRIMARY KEY,
        az_uuid        uuid             NOT NULL,
        cluster_uuid   uuid             NOT NULL,
        name           text             NOT NULL,
        description    text             NOT NULL,
        type           smallint         NOT NULL CHECK (type IN (0, 1, 2)),
        state          smallint         NOT NULL CHECK (state IN (0, 1)),
        meta           text             NOT NULL,
        physical_size  bigint           NOT NULL CHECK (physical_size >= 0),
        size_ratio     double precision NOT NULL CHECK (size_ratio > 0),
        reserved_size  bigint           NOT NULL CHECK (reserved_size >= 0),
        total_size     bigint           NOT NULL CHECK (total_size >= 0),
        used_size      bigint           NOT NULL CHECK (used_size >= 0 AND used_size <= total_size),
        volume_count   integer          NOT NULL CHECK (volume_count >= 0),
        version        integer          NOT NULL,
        created_at     timestamptz      NOT NULL,
        CONSTRAINT storage_pools_cluster_uuid_fkey FOREIGN KEY (cluster_uuid) REFERENCES clusters (uuid) ON DELETE RESTRICT
      )`);
    await q.query('CREATE UNIQUE INDEX storage_pools_name_key ON storage_pools (cluster_uuid, lower(name))');
    await q.query('CREATE INDEX storage_pools_cluster_idx ON storage_pools (cluster_uuid, created_at)');
    await q.query(`
      CREATE TABLE volume_specs (
        uuid               uuid        PRIMARY KEY,
        name               text        NOT NULL,
        description        text        NOT NULL,
        storage_pool_uuid  uuid        NOT NULL,
        state              smallint    NOT NULL CHECK (state = 1),
        min_iops           integer     NOT NULL CHECK (min_iops >= 0),
        max_iops           integer     NOT NULL CHECK (max_iops >= min_iops),
        step_iops          integer     NOT NULL CHECK (step_iops >= 0),
        min_throughput     bigint      NOT NULL CHECK (min_throughput >= 0),
        max_throughput     bigint      NOT NULL CHECK (max_throughput >= min_throughput),
        step_throughput    bigint      NOT NULL CHECK (step_throughput >= 0),
        cluster_count      integer     NOT NULL CHECK (cluster_count >= 0),
        version            integer     NOT NULL,
        created_at         timestamptz NOT NULL,
        CONSTRAINT volume_specs_storage_pool_uuid_fkey FOREIGN KEY (storage_pool_uuid)
          REFERENCES storage_pools (uuid) ON DELETE RESTRICT
      )`);
    await q.query('CREATE UNIQUE INDEX volume_specs_name_key ON volume_specs (lower(name))');
    await q.query('CREATE INDEX volume_specs_pool_idx ON volume_specs (storage_pool_uuid)');
    await q.query(`
      CREATE TABLE cluster_volume_specs (
        cluster_uuid      uuid        NOT NULL,
        volume_spec_uuid  uuid        NOT NULL,
        created_at        timestamptz NOT NULL,
        CONSTRAINT cluster_volume_specs_pkey PRIMARY KEY (cluster_uuid, volume_spec_uuid),
        CONSTRAINT cluster_volume_specs_spec_fkey FOREIGN KEY (volume_spec_uuid)
          REFERENCES volume_specs (uuid) ON DELETE RESTRICT
      )`);
    await q.query('CREATE INDEX cluster_volume_specs_spec_idx ON cluster_volume_specs (volume_spec_uuid)');
    await q.query(`
      CREATE VIEW cluster_volume_spec_list AS
        SELECT r.cluster_uuid, r.volume_spec_uuid, r.created_at, s.name, s.min_iops, s.max_iops, s.step_iops,
               s.min_throughput, s.max_throughput, s.step_throughput
          FROM cluster_volume_specs r JOIN volume_specs s ON s.uuid = r.volume_spec_uuid`);
    await q.query(`
      CREATE TABLE volumes (
        uuid                        uuid        PRIMARY KEY,
        name                        text        NOT NULL,
        description                 text        NOT NULL,
        user_uuid                   uuid        NOT NULL,
        az_uuid                     uuid        NOT NULL,
        cluster_uuid                uuid        NOT NULL,
        host_uuid                   uuid        NOT NULL,
        storage_pool_uuid           uuid        NOT NULL,
        volume_spec_uuid            uuid        NOT NULL,
        image_uuid                  uuid,
        size                        bigint      NOT NULL CHECK (size > 0),
        iops                        integer     NOT NULL CHECK (iops >= 0),
        throughput                  bigint      NOT NULL CHECK (throughput >= 0),
        format                      text        NOT NULL,
        type                        smallint    NOT NULL CHECK (type IN (0, 1, 2)),
        root                        smallint    NOT NULL CHECK (root IN (0, 1)),
        cdrom                       smallint    NOT NULL CHECK (cdrom IN (0, 1)),
        install_path                text        NOT NULL,
        state                       smallint    NOT NULL CHECK (state IN (0, 1, 2, 10)),
        operation                   text        NOT NULL,
        data_version                integer     NOT NULL,
        parent_version              integer     NOT NULL,
        snapshot_count              integer     NOT NULL CHECK (snapshot_count >= 0),
        last_operation_name         text        NOT NULL,
        last_operation_state        smallint    NOT NULL CHECK (last_operation_state IN (0, 1, 2)),
        last_operation_created_at   timestamptz,
        last_operation_finished_at  timestamptz,
        version                     integer     NOT NULL,
        created_at                  timestamptz NOT NULL,
        CONSTRAINT volumes_host_uuid_fkey FOREIGN KEY (host_uuid) REFERENCES hosts (uuid) ON DELETE RESTRICT,
        CONSTRAINT volumes_storage_pool_uuid_fkey FOREIGN KEY (storage_pool_uuid)
          REFERENCES storage_pools (uuid) ON DELETE RESTRICT,
        CONSTRAINT volumes_volume_spec_uuid_fkey FOREIGN KEY (volume_spec_uuid)
          REFERENCES volume_specs (uuid) ON DELETE RESTRICT,
        CONSTRAINT volumes_image_uuid_fkey FOREIGN KEY (image_uuid) REFERENCES images (uuid) ON DELETE RESTRICT
      )`);
    await q.query('CREATE INDEX volumes_cluster_idx ON volumes (cluster_uuid, created_at)');
    await q.query('CREATE INDEX volumes_user_idx ON volumes (user_uuid, created_at)');
    await q.query('CREATE INDEX volumes_pool_host_idx ON volumes (storage_pool_uuid, host_uuid)');
    await q.query('CREATE INDEX volumes_host_idx ON volumes (host_uuid)');
    await q.query('CREATE INDEX volumes_spec_idx ON volumes (volume_spec_uuid)');
    await q.query('CREATE INDEX volumes_image_idx ON volumes (image_uuid)');
    await q.query(`
      CREATE TABLE snapshots (
        uuid                        uuid        PRIMARY KEY,
        name                        text        NOT NULL,
        description                 text        NOT NULL,
        user_uuid                   uuid        NOT NULL,
        volume_uuid                 uuid        NOT NULL,
        volume_version              integer     NOT NULL,
        parent_volume_version       integer     NOT NULL,
        state                       smallint    NOT NULL CHECK (state IN (0, 1, 10)),
        operation                   text        NOT NULL,
        last_operation_name         text        NOT NULL,
        last_operation_state        smallint    NOT NULL CHECK (last_operation_state IN (0, 1, 2)),
        last_operation_created_at   timestamptz,
        last_operation_finished_at  timestamptz,
        version                     integer     NOT NULL,
        created_at                  timestamptz NOT NULL,
        CONSTRAINT snapshots_volume_uuid_fkey FOREIGN KEY (volume_uuid) REFERENCES volumes (uuid) ON DELETE RESTRICT
      )`);
    await q.query('CREATE INDEX snapshots_volume_idx ON snapshots (volume_uuid, created_at)');
    await q.query('CREATE INDEX snapshots_user_idx ON snapshots (user_uuid, created_at)');
    await q.query(`
      CREATE VIEW volume_rows AS
        SELECT v.*, p.name AS storage_pool_name, s.name AS spec_name
          FROM volumes v
          JOIN storage_pools p ON p.uuid = v.storage_pool_uuid
          JOIN volume_specs s ON s.uuid = v.volume_spec_uuid`);
    await q.query(`
      CREATE VIEW snapshot_rows AS
        SELECT s.*, v.name AS volume_name FROM snapshots s JOIN volumes v ON v.uuid = s.volume_uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP VIEW snapshot_rows');
    await q.query('DROP VIEW volume_rows');
    await q.query('DROP TABLE snapshots');
    await q.query('DROP TABLE volumes');
    await q.query('DROP VIEW cluster_volume_spec_list');
    await q.query('DROP TABLE cluster_volume_specs');
    await q.query('DROP TABLE volume_specs');
    await q.query('DROP TABLE storage_pools');
  }
}
