/**
 * Issue 14: how long `npm run import` takes on a ChimeStack installation at this server's limits —
 * 32 AZs of 32 clusters (half of them with a duplicated name, renamed), 501 users, 20 instance
 * specs registered 1,000 times, 200 networks with a subnet each, 512 nodes (a cluster full with 256
 * hosts and their inventories, 256 clients not adopted): 4,001 rows and as many events — and
 * `npm run verify:replay` right after it. Both run as child processes of the build
 * (`dist/`, so run `npm run build` first), start-up and migrations included, on a fresh embedded
 * database and on a fresh database of the local PostgreSQL server. The source is a database of
 * its own on the local MariaDB server, dropped afterwards.
 *
 *   npm run bench:import
 */
import { execFileSync } from 'node:child_process';
import bcrypt from 'bcryptjs';
import { createChimeStackSource } from '../test/support/chimestack-source';
import { createTestDatabase } from '../test/support/test-database';

const POSTGRES = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const uuid = (kind: number, i: number) =>
  `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
const DAY = (day: number) => `2024-06-${String(day).padStart(2, '0')} 00:00:00`;

async function main(): Promise<void> {
  const source = await createChimeStackSource();
  try {
    const hash = bcrypt.hashSync('password', 4);
    const azs = Array.from({ length: 32 }, (_, i) => ({ uuid: uuid(1, i), name: `az-${i}`, state: 1, created_at: DAY(1) }));
    const clusters = azs.flatMap((az, a) =>
      Array.from({ length: 32 }, (_, c) => ({
        uuid: uuid(2, a * 32 + c),
        az_uuid: az.uuid,
        name: `c-${c % 16}`,
        hypervisor_type: 'kvm',
        arch: 'x86_64',
        state: 1,
        created_at: DAY(2),
      })),
    );
    const specs = Array.from({ length: 20 }, (_, i) => ({
      uuid: uuid(4, i),
      name: `spec-${i}`,
      state: 1,
      vcpus: i + 1,
      memory: 2 ** 30,
      created_at: DAY(3),
    }));
    const networked = clusters.slice(0, 200);
    await source.insert('t_az', azs);
    await source.insert('t_cluster', clusters);
    await source.insert('t_user', [
      { uuid: uuid(3, 0), name: 'admin', state: 1, password: hash, role: 3 },
      ...Array.from({ length: 500 }, (_, i) => ({
        uuid: uuid(3, i + 1),
        name: `user${i}`,
        state: 1,
        password: hash,
        role: i % 3,
      })),
    ]);
    await source.insert('t_instance_spec', specs);
    await source.insert(
      'r_cluster_instance_spec',
      networked.flatMap((cluster) =>
        specs.slice(0, 5).map((spec) => ({ cluster_uuid: cluster.uuid, instance_spec_uuid: spec.uuid, created_at: DAY(4) })),
      ),
    );
    await source.insert(
      't_network',
      networked.map((cluster, i) => ({
        uuid: uuid(5, i),
        az_uuid: cluster.az_uuid,
        cluster_uuid: cluster.uuid,
        name: 'br0',
        interface_name: 'eth0',
        state: 1,
        created_at: DAY(5),
      })),
    );
    await source.insert(
      't_subnet',
      networked.map((_, i) => ({
        uuid: uuid(6, i),
        network_uuid: uuid(5, i),
        name: 's',
        cidr: '10.0.0.0/24',
        state: 1,
        created_at: DAY(5),
      })),
    );
    const nodes = Array.from({ length: 512 }, (_, i) => uuid(7, i));
    await source.insert(
      't_client',
      nodes.map((node, i) => ({
        uuid: node,
        name: `node-${i}`,
        manage_ip: `10.1.${i >> 8}.${i & 255}`,
        vcpus: 32,
        memory: 128 * 2 ** 30,
        created_at: DAY(6),
      })),
    );
    const hosts = nodes.slice(0, 256);
    await source.insert(
      't_host',
      hosts.map((node, i) => ({
        uuid: node,
        az_uuid: clusters[0].az_uuid,
        cluster_uuid: clusters[0].uuid,
        name: `node-${i}`,
        state: 1,
        created_at: DAY(7),
      })),
    );
    await source.insert(
      't_host_inventory',
      hosts.map((node) => ({
        host_uuid: node,
        total_vcpus: 64,
        physical_vcpus: 32,
        total_memory: 192 * 2 ** 30,
        physical_memory: 128 * 2 ** 30,
      })),
    );
    for (const onPostgres of [false, true]) {
      if (onPostgres) process.env.DATABASE_URL = POSTGRES;
      else delete process.env.DATABASE_URL;
      const database = await createTestDatabase({ persistent: true });
      try {
        const run = (script: string, ...args: string[]) => {
          const started = Date.now();
          const output = execFileSync(process.execPath, [script, ...args], {
            env: { PATH: process.env.PATH ?? '', ...database.env },
          });
          return { ms: Date.now() - started, output: output.toString() };
        };
        const imported = run('dist/src/import/main.js', '--from', source.url);
        const verified = run('dist/src/replay/main.js');
        process.stdout.write(
          `${onPostgres ? 'PostgreSQL' : 'embedded  '}  import ${imported.ms} ms, verify:replay ${verified.ms} ms: ${verified.output}`,
        );
      } finally {
        await database.drop();
      }
    }
  } finally {
    await source.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:import failed: ${(error as Error).message}\n`);
  process.exit(1);
});
