import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * NICs. Their subnet and security group are foreign keys (neither is deleted while NICs use it); their VM is not (the
 * compute module owns VMs and their table). Addresses are unique per subnet and MACs everywhere,
 * by indexes; `subnets.nic_cursor` is where the next address allocation in a subnet starts looking
 * (operational state, not part of the subnet's events), and `nic_mac_seq` numbers MACs.
 */
export class CreateNics1764300011000 implements MigrationInterface {
  name = 'CreateNics1764300011000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE nics (
        uuid         uuid        PRIMARY KEY,
        user_uuid    uuid        NOT NULL,
        name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
        description  text        NOT NULL DEFAULT '',
        subnet_uuid  uuid        NOT NULL,
        ip           text        NOT NULL,
        mac          text        NOT NULL,
        is_primary   smallint    NOT NULL CHECK (is_primary IN (0, 1)),
        sg_uuid      uuid,
        vm_uuid      uuid,
        state        smallint    NOT NULL CHECK (state IN (0, 1, 2)),
        operation    text        NOT NULL DEFAULT '',
        version      integer     NOT NULL,
        created_at   timestamptz NOT NULL,
        CONSTRAINT nics_attached_check CHECK ((state = 2) = (vm_uuid IS NOT NULL) OR state = 0),
        CONSTRAINT nics_subnet_uuid_fkey FOREIGN KEY (subnet_uuid) REFERENCES subnets (uuid) ON DELETE RESTRICT,
        -- The security-groups module's table (its migration runs first): a group in use is not deleted.
        CONSTRAINT nics_sg_uuid_fkey FOREIGN KEY (sg_uuid) REFERENCES security_groups (uuid) ON DELETE RESTRICT
      )`);
    await q.query('CREATE UNIQUE INDEX nics_subnet_ip_key ON nics (subnet_uuid, ip)');
    await q.query('CREATE UNIQUE INDEX nics_mac_key ON nics (mac)');
    await q.query('CREATE INDEX nics_sg_idx ON nics (sg_uuid) WHERE sg_uuid IS NOT NULL');
    await q.query('CREATE INDEX nics_vm_idx ON nics (vm_uuid) WHERE vm_uuid IS NOT NULL');
    await q.query('CREATE INDEX nics_user_created_at_idx ON nics (user_uuid, created_at, uuid)');
    await q.query('CREATE INDEX nics_created_at_idx ON nics (created_at, uuid)');
    await q.query("ALTER TABLE subnets ADD COLUMN nic_cursor text NOT NULL DEFAULT ''");
    await q.query('CREATE SEQUENCE nic_mac_seq MINVALUE 1 MAXVALUE 16777215 CYCLE');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP SEQUENCE nic_mac_seq');
    await q.query('ALTER TABLE subnets DROP COLUMN nic_cursor');
    await q.query('DROP TABLE nics');
  }
}
