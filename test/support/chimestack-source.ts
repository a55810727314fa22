import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { createConnection, type Connection } from 'mysql2/promise';

/** The MariaDB/MySQL server the import tests read from (`MYSQL_URL` overrides). */
export const MYSQL_SERVER = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

/**
 * The tables of ChimeStack's database that the import reads, as its installer creates them
 * (dypflying/chime-cicd, allinone/sql/chime.sql), trimmed to those tables and their columns.
 */
const SCHEMA = [
  `CREATE TABLE t_user (
     uuid varchar(64) NOT NULL, name varchar(128) NOT NULL DEFAULT '', nick_name varchar(128) NOT NULL DEFAULT '',
     state tinyint NOT NULL DEFAULT 0, password varchar(80) NOT NULL DEFAULT '', role tinyint NOT NULL DEFAULT 0,
     avatar varchar(255) NOT NULL DEFAULT '', created_at timestamp NULL DEFAULT NULL, updated_at timestamp NULL DEFAULT NULL,
     PRIMARY KEY (uuid), UNIQUE KEY udx_ame (name))`,
  `CREATE TABLE t_user_default (
     owner_uuid varchar(64) NOT NULL DEFAULT '', az_uuid varchar(64) NOT NULL DEFAULT '',
     cluster_uuid varchar(64) NOT NULL DEFAULT '', UNIQUE KEY udx_owner (owner_uuid))`,
  `CREATE TABLE t_session (
     uuid varchar(64) NOT NULL, user_uuid varchar(64) NOT NULL DEFAULT '', state tinyint NOT NULL DEFAULT 0,
     created_at timestamp NULL DEFAULT CURRENT_TIMESTAMP, expired_at timestamp NULL DEFAULT NULL, PRIMARY KEY (uuid))`,
  `CREATE TABLE t_az (
     uuid varchar(64) NOT NULL, parent_uuid varchar(64) DEFAULT NULL, name varchar(255) NOT NULL,
     state tinyint NOT NULL DEFAULT 0, description varchar(2048) DEFAULT NULL, created_at timestamp NULL DEFAULT NULL,
     updated_at timestamp NULL DEFAULT NULL, PRIMARY KEY (uuid), UNIQUE KEY udx_name (name))`,
  `CREATE TABLE t_cluster (
     uuid varchar(64) NOT NULL, az_uuid varchar(64) NOT NULL, name varchar(255) NOT NULL, type tinyint NOT NULL DEFAULT 0,
     hypervisor_type varchar(64) NOT NULL, arch varchar(64) NOT NULL, state tinyint NOT NULL DEFAULT 0,
     operation varchar(64) NOT NULL DEFAULT '', description varchar(2048) DEFAULT NULL, created_at datetime DEFAULT NULL,
     updated_at datetime DEFAULT NULL, PRIMARY KEY (uuid))`,
  `CREATE TABLE t_instance_spec (
     uuid varchar(64) NOT NULL, name varchar(255) NOT NULL, state tinyint NOT NULL DEFAULT 0,
     operation varchar(64) NOT NULL DEFAULT '', vcpus int NOT NULL DEFAULT 0, memory bigint NOT NULL DEFAULT 0,
     type tinyint NOT NULL DEFAULT 0, description varchar(2048) NOT NULL DEFAULT '', created_at timestamp NULL DEFAULT NULL,
     updated_at timestamp NULL DEFAULT NULL, PRIMARY KEY (uuid))`,
  `CREATE TABLE r_cluster_instance_spec (
     cluster_uuid varchar(64) NOT NULL, instance_spec_uuid varchar(64) NOT NULL, created_at timestamp NULL DEFAULT NULL,
     UNIQUE KEY udx_uuid (cluster_uuid, instance_spec_uuid))`,
  `CREATE TABLE t_network (
     uuid varchar(64) NOT NULL, az_uuid varchar(64) NOT NULL, cluster_uuid varchar(64) DEFAULT NULL, name varchar(255) NOT NULL,
     type tinyint NOT NULL DEFAULT 0, vlan_id varchar(255) NOT NULL DEFAULT '', state tinyint NOT NULL DEFAULT 0,
     interface_name varchar(32) NOT NULL DEFAULT '', description varchar(2048) NOT NULL DEFAULT '',
     created_at timestamp NULL DEFAULT NULL, updated_at timestamp NULL DEFAULT NULL, PRIMARY KEY (uuid))`,
  `CREATE TABLE t_subnet (
     uuid varchar(64) NOT NULL, network_uuid varchar(64) NOT NULL, name varchar(255) NOT NULL, type tinyint NOT NULL DEFAULT 0,
     cidr varchar(64) NOT NULL DEFAULT '', gateway varchar(64) NOT NULL DEFAULT '', reserved_ips varchar(1024) NOT NULL DEFAULT '',
     state tinyint NOT NULL DEFAULT 0, description varchar(2048) NOT NULL DEFAULT '', created_at timestamp NULL DEFAULT NULL,
     updated_at timestamp NULL DEFAULT NULL, PRIMARY KEY (uuid))`,
  `CREATE TABLE t_client (
     uuid varchar(64) NOT NULL, name varchar(255) NOT NULL DEFAULT '', state tinyint NOT NULL DEFAULT 0,
     description varchar(2048) DEFAULT NULL, rack_name varchar(32) NOT NULL DEFAULT '', manage_ip varchar(32) NOT NULL DEFAULT '',
     domains int NOT NULL DEFAULT 0, active_domains int NOT NULL DEFAULT 0, vcpus int NOT NULL DEFAULT 0,
     active_vcpus int NOT NULL DEFAULT 0, memory bigint NOT NULL DEFAULT 0, active_memory bigint NOT NULL DEFAULT 0,
     created_at timestamp NULL DEFAULT NULL, heartbeat_at timestamp NULL DEFAULT NULL, node_ip varchar(32) NOT NULL DEFAULT '',
     storage_ip varchar(32) NOT NULL DEFAULT '', reserved_ip1 varchar(32) NOT NULL DEFAULT '',
     reserved_ip2 varchar(32) NOT NULL DEFAULT '', monitor_state tinyint NOT NULL DEFAULT 0, PRIMARY KEY (uuid))`,
  `CREATE TABLE t_host (
     uuid varchar(64) NOT NULL, az_uuid varchar(64) NOT NULL, cluster_uuid varchar(64) NOT NULL, name varchar(255) NOT NULL,
     state tinyint NOT NULL DEFAULT 0, operation varchar(64) NOT NULL DEFAULT '', description varchar(2048) DEFAULT NULL,
     created_at timestamp NULL DEFAULT NULL, updated_at timestamp NULL DEFAULT NULL, heartbeat_at timestamp NULL DEFAULT NULL,
     PRIMARY KEY (uuid))`,
  `CREATE TABLE t_host_inventory (
     host_uuid varchar(64) NOT NULL, total_vcpus int NOT NULL DEFAULT 0, used_vcpus int NOT NULL DEFAULT 0,
     physical_vcpus int NOT NULL DEFAULT 0, reserved_vcpus int NOT NULL DEFAULT 0, total_memory bigint NOT NULL DEFAULT 0,
     used_memory bigint NOT NULL DEFAULT 0, physical_memory bigint NOT NULL DEFAULT 0, reserved_memory bigint NOT NULL DEFAULT 0,
     created_at timestamp NULL DEFAULT NULL, updated_at timestamp NULL DEFAULT NULL, PRIMARY KEY (host_uuid))`,
  `CREATE TABLE t_image (
     uuid varchar(64) NOT NULL, name varchar(255) NOT NULL, state tinyint NOT NULL DEFAULT 0, description varchar(2048) DEFAULT NULL,
     operation varchar(64) NOT NULL DEFAULT '', bucket_uuid varchar(64) NOT NULL, format varchar(32) NOT NULL DEFAULT '',
     os_type varchar(32) NOT NULL DEFAULT '', os_detail varchar(32) NOT NULL DEFAULT '', os_arch varchar(32) NOT NULL DEFAULT '',
     boot_type varchar(32) NOT NULL DEFAULT '', shared tinyint NOT NULL DEFAULT 0, install_url varchar(1024) NOT NULL DEFAULT '',
     created_at timestamp NULL DEFAULT NULL, updated_at timestamp NULL DEFAULT NULL, PRIMARY KEY (uuid))`,
  `CREATE TABLE t_image_bucket (
     uuid varchar(64) NOT NULL, name varchar(255) NOT NULL, state tinyint NOT NULL DEFAULT 0, description varchar(2048) DEFAULT NULL,
     type tinyint NOT NULL DEFAULT 0, owner varchar(64) NOT NULL DEFAULT '', bucket_name varchar(255) NOT NULL DEFAULT '',
     created_at timestamp NULL DEFAULT NULL, updated_at timestamp NULL DEFAULT NULL, PRIMARY KEY (uuid))`,
  `CREATE TABLE t_storage_pool (
     uuid varchar(64) NOT NULL, az_uuid varchar(64) NOT NULL, cluster_uuid varchar(64) DEFAULT NULL, name varchar(255) NOT NULL,
     type tinyint NOT NULL DEFAULT 0, state tinyint NOT NULL DEFAULT 0, description varchar(2048) NOT NULL DEFAULT '',
     meta varchar(4096) NOT NULL DEFAULT '', created_at timestamp NULL DEFAULT NULL, updated_at timestamp NULL DEFAULT NULL,
     PRIMARY KEY (uuid))`,
  `CREATE TABLE t_storage_pool_inventory (
     storage_pool_uuid varchar(64) NOT NULL, total_size bigint NOT NULL DEFAULT 0, used_size bigint NOT NULL DEFAULT 0,
     physical_size bigint NOT NULL DEFAULT 0, reserved_size bigint NOT NULL DEFAULT 0, created_at timestamp NULL DEFAULT NULL,
     updated_at timestamp NULL DEFAULT NULL, PRIMARY KEY (storage_pool_uuid))`,
  `CREATE TABLE t_volume_spec (
     uuid varchar(64) NOT NULL, storage_pool_uuid varchar(64) DEFAULT NULL, name varchar(255) NOT NULL,
     state tinyint NOT NULL DEFAULT 0, operation varchar(64) NOT NULL DEFAULT '', min_iops int NOT NULL DEFAULT 0,
     max_iops int NOT NULL DEFAULT 0, step_iops int NOT NULL DEFAULT 0, min_throughput bigint NOT NULL DEFAULT 0,
     max_throughput bigint NOT NULL DEFAULT 0, step_throughput bigint NOT NULL DEFAULT 0,
     description varchar(2048) NOT NULL DEFAULT '', created_at timestamp NULL DEFAULT NULL,
     updated_at timestamp NULL DEFAULT NULL, PRIMARY KEY (uuid))`,
  `CREATE TABLE r_cluster_volume_spec (
     cluster_uuid varchar(64) NOT NULL, volume_spec_uuid varchar(64) NOT NULL, created_at timestamp NULL DEFAULT NULL,
     UNIQUE KEY udx_uuid (cluster_uuid, volume_spec_uuid))`,
  `CREATE TABLE t_volume (
     uuid varchar(64) NOT NULL, name varchar(255) NOT NULL, user_uuid varchar(64) NOT NULL DEFAULT 'admin',
     az_uuid varchar(64) NOT NULL, cluster_uuid varchar(64) DEFAULT NULL, host_uuid varchar(64) DEFAULT NULL,
     volume_spec_uuid varchar(64) DEFAULT NULL, size bigint NOT NULL DEFAULT 0, iops int NOT NULL DEFAULT 0,
     throughput bigint NOT NULL DEFAULT 0, install_path varchar(1024) NOT NULL, state tinyint NOT NULL DEFAULT 0,
     operation varchar(64) NOT NULL DEFAULT '', root tinyint NOT NULL DEFAULT 0, cdrom tinyint NOT NULL DEFAULT 0,
     image_uuid varchar(64) NOT NULL DEFAULT '', description varchar(2048) NOT NULL DEFAULT '',
     created_at timestamp NULL DEFAULT NULL, updated_at timestamp NULL DEFAULT NULL, version int NOT NULL DEFAULT 0,
     parent_version int NOT NULL DEFAULT 0, format varchar(64) NOT NULL DEFAULT 'raw', type int NOT NULL DEFAULT 0,
     PRIMARY KEY (uuid))`,
  `CREATE TABLE t_snapshot (
     uuid varchar(64) NOT NULL, name varchar(255) NOT NULL, user_uuid varchar(64) NOT NULL DEFAULT 'admin',
     volume_uuid varchar(64) NOT NULL DEFAULT '', volume_version int NOT NULL DEFAULT 0,
     parent_volume_version int NOT NULL DEFAULT 0, state tinyint NOT NULL DEFAULT 0, operation varchar(64) NOT NULL DEFAULT '',
     description varchar(2048) NOT NULL DEFAULT '', created_at timestamp NULL DEFAULT NULL,
     updated_at timestamp NULL DEFAULT NULL, PRIMARY KEY (uuid))`,
  `CREATE TABLE t_nic (
     uuid varchar(64) NOT NULL, name varchar(255) NOT NULL, description varchar(2048) NOT NULL DEFAULT '',
     state tinyint NOT NULL DEFAULT 0, \`primary\` tinyint NOT NULL DEFAULT 0, user_uuid varchar(64) NOT NULL DEFAULT 'admin',
     subnet_uuid varchar(64) NOT NULL, network_name varchar(64) NOT NULL, mac varchar(32) NOT NULL DEFAULT '',
     ip varchar(32) NOT NULL DEFAULT '', gateway varchar(32) NOT NULL DEFAULT '', netmask varchar(32) NOT NULL DEFAULT '',
     operation varchar(64) NOT NULL DEFAULT '', created_at timestamp NULL DEFAULT NULL,
     updated_at timestamp NULL DEFAULT NULL, PRIMARY KEY (uuid))`,
  `CREATE TABLE t_vm (
     uuid varchar(64) NOT NULL, name varchar(255) NOT NULL, user_uuid varchar(64) NOT NULL DEFAULT 'admin',
     az_uuid varchar(64) NOT NULL, cluster_uuid varchar(64) NOT NULL DEFAULT '', host_uuid varchar(64) NOT NULL DEFAULT '',
     last_host_uuid varchar(64) NOT NULL DEFAULT '', install_path varchar(2048) NOT NULL DEFAULT '',
     state tinyint NOT NULL DEFAULT 0, vcpus int NOT NULL DEFAULT 0, memory bigint NOT NULL DEFAULT 0,
     operation varchar(64) NOT NULL DEFAULT '', instance_spec_uuid varchar(64) DEFAULT NULL, description varchar(2048) DEFAULT NULL,
     password varchar(256) NOT NULL DEFAULT '', vnc_password varchar(256) NOT NULL DEFAULT '', salt varchar(256) NOT NULL DEFAULT '',
     created_at timestamp NULL DEFAULT NULL, updated_at timestamp NULL DEFAULT NULL, PRIMARY KEY (uuid))`,
  `CREATE TABLE r_vm_volume (
     vm_uuid varchar(64) NOT NULL, volume_uuid varchar(64) NOT NULL, target varchar(16) NOT NULL DEFAULT '',
     state tinyint NOT NULL DEFAULT 0, created_at timestamp NULL DEFAULT NULL, updated_at timestamp NULL DEFAULT NULL,
     UNIQUE KEY udx_vmid_volid (vm_uuid, volume_uuid))`,
  `CREATE TABLE r_vm_nic (
     vm_uuid varchar(64) NOT NULL, nic_uuid varchar(64) NOT NULL, state tinyint NOT NULL DEFAULT 0,
     created_at timestamp NULL DEFAULT NULL, updated_at timestamp NULL DEFAULT NULL, UNIQUE KEY udx_vmid_nicid (vm_uuid, nic_uuid))`,
];

/** A ChimeStack database of a test's own on the MariaDB server, dropped afterwards. */
export interface ChimeStackSource {
  /** `mysql://root@127.0.0.1:3306/chime_import_…` */
  url: string;
  insert(table: string, rows: Record<string, unknown>[]): Promise<void>;
  drop(): Promise<void>;
}

export async function createChimeStackSource(): Promise<ChimeStackSource> {
  const name = `chime_import_${randomBytes(6).toString('hex')}`;
  const server = await connect(MYSQL_SERVER);
  await server.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const url = `${MYSQL_SERVER}/${name}`;
  const db = await connect(url);
  await db.query("SET time_zone = '+00:00'");
  for (const statement of SCHEMA) await db.query(statement);
  return {
    url,
    async insert(table, rows) {
      for (const row of rows) await db.query(`INSERT INTO ${table} SET ?`, [row]);
    },
    async drop() {
      await db.end();
      await server.query(`DROP DATABASE IF EXISTS ${name}`);
      await server.end();
    },
  };
}

function connect(url: string): Promise<Connection> {
  return createConnection({ uri: url, timezone: 'Z' });
}

/** A bcrypt hash as ChimeStack (Go's bcrypt: $2a$) or PHP ($2y$) writes it. */
export function bcryptHash(password: string, cost: number, prefix: '$2a$' | '$2b$' | '$2y$'): string {
  return bcrypt.hashSync(password, cost).replace(/^\$2[aby]\$/, prefix);
}
