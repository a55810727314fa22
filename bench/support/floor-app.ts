/**
 * The floor of the HTTP benchmark (bench/http.bench.ts, issue 21): a bare NestJS application on
 * platform-express that answers getAz, listAz and listCluster as cheaply as this stack can — one
 * `pg` Pool (the server's size, 10), the same statements the server runs, prepared, and the answer
 * in the envelope (`{requestId, result}`, a request id drawn per request). No authentication, no
 * validation, no logging, no metrics: what any Nest + node-postgres server pays for these reads.
 * Reads the server's own database (`DATABASE_URL`); listens on 127.0.0.1:$PORT.
 *
 * With `FLOOR_TOKEN` set, the floor with the checks issue 21 keeps on, each done the plainest way
 * this stack offers, and nothing else: the request id (taken from `X-Request-Id` or drawn, sent
 * back, kept on the request for the envelope: the server carries a request's context explicitly
 * too, not in an AsyncLocalStorage); a global guard that lets in only `Bearer FLOOR_TOKEN`, looked
 * up by its SHA-256 in a map (a cached session) with the caller's role; Nest's ValidationPipe (class-validator) over the query of the lists, and
 * ParseUUIDPipe on the AZ's uuid; a pino JSON line per request (asynchronous destination, the same
 * redaction paths) and a prom-client counter and histogram per route and status. What those checks
 * cost on the bare stack, measured in the same run, is the least the server's own can cost.
 *
 * With `WRITE_DATABASE_URL` set (the raw variant's database), also createCluster and deleteCluster
 * as bench:http's write pairs call them, each the raw variant's transaction (raw-pairs.js) answered
 * in the envelope; checked, the body goes through the ValidationPipe as a DTO. What one write
 * request costs on the bare stack, beside what its transaction costs in raw `pg`.
 */
import 'reflect-metadata';
import { createHash, randomUUID } from 'node:crypto';
import {
  Body,
  CanActivate,
  Controller,
  Delete,
  ExecutionContext,
  Get,
  HttpCode,
  Module,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  UnauthorizedException,
  ValidationPipe,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import type { NextFunction, Request, Response } from 'express';
import { Pool } from 'pg';
import pino from 'pino';
import { Counter, Histogram, Registry } from 'prom-client';

const CHECKS_TOKEN = process.env.FLOOR_TOKEN;
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const writePool = process.env.WRITE_DATABASE_URL
  ? new Pool({ connectionString: process.env.WRITE_DATABASE_URL, max: 10 })
  : undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pairTransactions } = require('./raw-pairs') as {
  pairTransactions(pool: Pool): {
    create(az: string, name: string): Promise<Row>;
    remove(az: string, uuid: string): Promise<void>;
  };
};
const writes = writePool && pairTransactions(writePool);

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
type FloorRequest = Request & { id?: string; role?: number };
/** The envelope, with the request id the checks gave the request, or one drawn for it. */
const envelope = (req: FloorRequest, result: unknown) => ({ requestId: req.id ?? randomUUID(), result });

async function oneAz(uuid: string): Promise<Row> {
  const { rows } = await pool.query<Row>({ ...GET_AZ, values: [uuid] });
  if (rows.length === 0) throw new NotFoundException();
  return rows[0];
}

/** The list query the server takes for AZs and clusters, validated by Nest's ValidationPipe when checks are on. */
class ListQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) size?: number;
  @IsOptional() @IsIn(['created_at', 'name']) sort?: string;
  @IsOptional() @IsIn(['asc', 'desc']) order?: string;
}

/** createCluster's body, validated by Nest's ValidationPipe when checks are on. */
class CreateClusterBody {
  @IsString() @Length(1, 64) name!: string;
  @IsOptional() @IsString() @Length(0, 255) description?: string;
}

/** ParseUUIDPipe when checks are on; none otherwise. */
const uuidPipes = CHECKS_TOKEN ? [new ParseUUIDPipe()] : [];

@Controller('v1/az')
class FloorController {
  @Get()
  async listAz(@Req() req: FloorRequest, @Query() _query: ListQuery) {
    const { rows } = await pool.query<Row>({ ...LIST_AZ, values: [10, 0] });
    return envelope(req, { elements: rows.map(azView), size: rows.length, total: rows.length ? Number(rows[0].total) : 0 });
  }

  @Get(':uuid')
  async getAz(@Req() req: FloorRequest, @Param('uuid', ...uuidPipes) uuid: string) {
    return envelope(req, { az: azView(await oneAz(uuid)) });
  }

  @Get(':uuid/cluster')
  async listCluster(@Req() req: FloorRequest, @Param('uuid', ...uuidPipes) uuid: string, @Query() _query: ListQuery) {
    const az = await oneAz(uuid);
    const { rows } = await pool.query<Row>({ ...LIST_CLUSTER, values: [uuid, 10, 0] });
    return envelope(req, {
      elements: rows.map((row) => clusterView(row, az.name)),
      size: rows.length,
      total: rows.length ? Number(rows[0].total) : 0,
    });
  }

  @Post(':uuid/cluster')
  @HttpCode(200)
  async createCluster(@Req() req: FloorRequest, @Param('uuid', ...uuidPipes) az: string, @Body() body: CreateClusterBody) {
    const cluster = await writes!.create(az, body.name);
    return envelope(req, { cluster: { ...cluster, created_at: (cluster.created_at as Date).toISOString() } });
  }

  @Delete(':uuid/cluster/:cluster')
  async deleteCluster(
    @Req() req: FloorRequest,
    @Param('uuid', ...uuidPipes) az: string,
    @Param('cluster', ...uuidPipes) cluster: string,
  ) {
    await writes!.remove(az, cluster);
    return envelope(req, 1);
  }
}

@Module({ controllers: [FloorController] })
class FloorModule {}

/** The token guard of the checked floor: one cached session, looked up by the token's SHA-256. */
class TokenCheck implements CanActivate {
  private readonly sessions = new Map([[sha256(CHECKS_TOKEN ?? ''), { role: 3 }]]);

  canActivate(execution: ExecutionContext): boolean {
    const req = execution.switchToHttp().getRequest<FloorRequest>();
    const match = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '');
    const session = match ? this.sessions.get(sha256(match[1])) : undefined;
    if (!session) throw new UnauthorizedException();
    req.role = session.role;
    return true;
  }
}
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Request id, log line and metrics of the checked floor, as Express middleware. */
function requestChecks() {
  const logger = pino(
    { redact: { paths: ['password', 'token', 'authorization'], censor: '***' } },
    pino.destination({ dest: 1, sync: false }),
  );
  const registry = new Registry();
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({ name: 'http_requests_total', help: 'requests', labelNames, registers: [registry] });
  const latency = new Histogram({ name: 'http_request_duration_seconds', help: 'latency', labelNames, registers: [registry] });
  return (req: FloorRequest, res: Response, next: NextFunction) => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' ? given : randomUUID();
    req.id = requestId;
    res.setHeader('X-Request-Id', requestId);
    const started = performance.now();
    res.once('close', () => {
      const ms = performance.now() - started;
      const labels = {
        method: req.method,
        route: `${req.baseUrl}${(req.route as { path?: string } | undefined)?.path}`,
        status: res.statusCode,
      };
      requests.inc(labels);
      latency.observe(labels, ms / 1000);
      logger.info(
        {
          reqId: requestId,
          req: { method: req.method, url: req.originalUrl, remoteAddress: req.socket.remoteAddress },
          res: { statusCode: res.statusCode },
          responseTime: Math.round(ms),
        },
        'request completed',
      );
    });
    next();
  };
}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(FloorModule, { logger: false });
  app.set('etag', false);
  if (CHECKS_TOKEN) {
    app.use(requestChecks());
    app.useGlobalGuards(new TokenCheck());
    app.useGlobalPipes(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }));
  }
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  process.stdout.write('listening\n');
  process.once(
    'SIGTERM',
    () => void app.close().then(() => Promise.all([pool.end(), writePool?.end()]).finally(() => process.exit(0))),
  );
}

void main();
