/**
 * The floor of the HTTP benchmark (bench/http.bench.ts, issue 21): a bare NestJS application on
 * platform-express that answers getAz, listAz and listCluster as cheaply as this stack can — one
 * `pg` Pool (the server's size, 10), the same statements the server runs, prepared, and the answer
 * in the envelope (`{requestId, result}`, a request id drawn per request). No authentication, no
 * validation, no logging, no metrics: what any Nest + node-postgres server pays for these reads.
 * Reads the server's own database (`DATABASE_URL`); listens on 127.0.0.1:$PORT.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Controller, Get, Module, NotFoundException, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

const AZ_COLUMNS = `"uuid", "name", "description", "parent", "state", "version", "created_at"`;
const CLUSTER_COLUMNS = `"uuid", "az_uuid", "name", "description", "arch", "hypervisor_type", "type", "state", "version", "created_at"`;
const GET_AZ = { name: 'floor_get_az', text: `SELECT ${AZ_COLUMNS} FROM "availability_zones" WHERE "uuid" = $1` };
const LIST_AZ = {
  name: 'floor_list_az',
  text: `SELECT ${AZ_COLUMNS}, count(*) OVER () AS total FROM "availability_zones" ORDER BY "created_at" DESC, "uuid" DESC LIMIT $1 OFFSET $2`,
};
const LIST_CLUSTER = {
  name: 'floor_list_cluster',
  text: `SELECT ${CLUSTER_COLUMNS}, count(*) OVER () AS total FROM "clusters" WHERE "az_uuid" = $1 ORDER BY "created_at" DESC, "uuid" DESC LIMIT $2 OFFSET $3`,
};

type Row = Record<string, unknown>;
const azView = (row: Row) => ({
  uuid: row.uuid,
  name: row.name,
  description: row.description,
  parent: row.parent,
  state: row.state,
  created_at: (row.created_at as Date).toISOString(),
});
const clusterView = (row: Row, azName: unknown) => ({
  uuid: row.uuid,
  name: row.name,
  description: row.description,
  arch: row.arch,
  hypervisor_type: row.hypervisor_type,
  type: row.type,
  state: row.state,
  az_uuid: row.az_uuid,
  created_at: (row.created_at as Date).toISOString(),
  az_name: azName,
});
const envelope = (result: unknown) => ({ requestId: randomUUID(), result });

async function oneAz(uuid: string): Promise<Row> {
  const { rows } = await pool.query<Row>({ ...GET_AZ, values: [uuid] });
  if (rows.length === 0) throw new NotFoundException();
  return rows[0];
}

@Controller('v1/az')
class FloorController {
  @Get()
  async listAz() {
    const { rows } = await pool.query<Row>({ ...LIST_AZ, values: [10, 0] });
    return envelope({ elements: rows.map(azView), size: rows.length, total: rows.length ? Number(rows[0].total) : 0 });
  }

  @Get(':uuid')
  async getAz(@Param('uuid') uuid: string) {
    return envelope({ az: azView(await oneAz(uuid)) });
  }

  @Get(':uuid/cluster')
  async listCluster(@Param('uuid') uuid: string) {
    const az = await oneAz(uuid);
    const { rows } = await pool.query<Row>({ ...LIST_CLUSTER, values: [uuid, 10, 0] });
    return envelope({
      elements: rows.map((row) => clusterView(row, az.name)),
      size: rows.length,
      total: rows.length ? Number(rows[0].total) : 0,
    });
  }
}

@Module({ controllers: [FloorController] })
class FloorModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(FloorModule, { logger: false });
  app.set('etag', false);
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  process.stdout.write('listening\n');
  process.once('SIGTERM', () => void app.close().then(() => pool.end().finally(() => process.exit(0))));
}

void main();
