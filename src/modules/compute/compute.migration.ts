import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * VMs, their volumes, and console tickets. The foreign keys are the rules "what is still used is
 * not deleted": a host holding VMs, an instance specification VMs are made of, a volume attached
 * to a VM (vm.store.ts names each one for the 400 it becomes). A VM's NICs are the networks
 * module's (nics.vm_uuid).
 */
export class CreateCompute1764300012000 implements MigrationInterface {
  name = 'CreateCompute1764300012000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE vms (
        uuid                        uuid        PRIMARY KEY,
        name                        text        NOT NULL,
        description                 text        NOT NULL,
        user_uuid                   uuid        NOT NULL,
        az_uuid                     uuid        NOT NULL,
        cluster_uuid                uuid        NOT NULL,
        host_uuid                   uuid        NOT NULL,
        last_host_uuid              text        NOT NULL,
        instance_spec_uuid          uuid        NOT NULL,
        image_uuid                  text        NOT NULL,
        vcpus                       integer     NOT NULL CHECK (vcpus > 0),
        memory                      bigint      NOT NULL CHECK (memory > 0),
        state                       smallint    NOT NULL CHECK (state IN (0, 1, 4, 10)),
        boot_type                   text        NOT NULL,
        hyper_type                  text        NOT NULL,
        os_type                     text        NOT NULL,
        os_arch                     text        NOT NULL,
        os_detail                   text        NOT NULL,
        vnc_port                    integer     NOT NULL,
        operation                   text        NOT NULL,
        last_operation_name         text        NOT NULL,
        last_operation_state        smallint    NOT NULL,
        last_operation_created_at   timestamptz,
        last_operation_finished_at  timestamptz,
        version                     integer     NOT NULL,
        created_at                  timestamptz NOT NULL,
        CONSTRAINT vms_host_uuid_fkey FOREIGN KEY (host_uuid) REFERENCES hosts (uuid) ON DELETE RESTRICT,
        CONSTRAINT vms_instance_spec_uuid_fkey FOREIGN KEY (instance_spec_uuid) REFERENCES instance_specs (uuid) ON DELETE RESTRICT
      )`);
    await q.query('CREATE INDEX vms_created_idx ON vms (created_at, uuid)');
    await q.query('CREATE INDEX vms_user_idx ON vms (user_uuid, created_at)');
    await q.query('CREATE INDEX vms_host_idx ON vms (host_uuid)');
    await q.query('CREATE INDEX vms_cluster_idx ON vms (cluster_uuid)');
    await q.query('CREATE INDEX vms_instance_spec_idx ON vms (instance_spec_uuid)');
    await q.query(`
      CREATE TABLE vm_volumes (
        vm_uuid      uuid     NOT NULL,
        volume_uuid  uuid     NOT NULL,
        target       text     NOT NULL,
        position     integer  NOT NULL,
        CONSTRAINT vm_volumes_pkey PRIMARY KEY (vm_uuid, volume_uuid),
        CONSTRAINT vm_volumes_vm_uuid_fkey FOREIGN KEY (vm_uuid) REFERENCES vms (uuid) ON DELETE CASCADE,
        CONSTRAINT vm_volumes_volume_uuid_fkey FOREIGN KEY (volume_uuid) REFERENCES volumes (uuid) ON DELETE RESTRICT
      )`);
    await q.query('CREATE UNIQUE INDEX vm_volumes_volume_key ON vm_volumes (volume_uuid)');
    await q.query(`
      CREATE TABLE vm_vnc_tickets (
        ticket_hash  text        PRIMARY KEY,
        vm_uuid      uuid        NOT NULL,
        user_uuid    uuid        NOT NULL,
        expires_at   timestamptz NOT NULL,
        used_at      timestamptz,
        CONSTRAINT vm_vnc_tickets_vm_uuid_fkey FOREIGN KEY (vm_uuid) REFERENCES vms (uuid) ON DELETE CASCADE
      )`);
    await q.query('CREATE INDEX vm_vnc_tickets_expiry_idx ON vm_vnc_tickets (expires_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE vm_vnc_tickets');
    await q.query('DROP TABLE vm_volumes');
    await q.query('DROP TABLE vms');
  }
}
