import { Controller, Get } from '@nestjs/common';
import { ApiProperty, ApiSchema, ApiTags } from '@nestjs/swagger';
import {
  DomainEvent,
  DurableConsumer,
  EventConsumer,
  streamReplay,
  StoredEvent,
  Transaction,
  UnitOfWork,
  type StreamProjection,
  SERVER_ORIGIN,
} from '@chime/event-log';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { AzDeleted } from '../src/modules/zones/az.events';
import { ApiDoc, listOf } from '../src/platform/http/api-docs';
import { describeApiTag } from '../src/platform/http/openapi';
import { FeatureModule } from '../src/platform/feature-module';
import { verifyReplay } from '../src/replay/verify-replay';
import { expectError, expectResult } from './support/envelope';
import { startTestServer, TestServer } from './support/test-server';
import { ADMIN, bearer, login } from './support/users';

/** An event of a module that forgot its replay check. */
class GadgetMade extends DomainEvent<{ uuid: string }> {
  static override readonly type = 'GadgetMade';
}
@FeatureModule({})
class ForgetfulModule {}

/** A module that keeps a tombstone for every deleted AZ: a reaction that stays in the log. */
class AzTombstoned extends DomainEvent<{ az_uuid: string }> {
  static override readonly type = 'AzTombstoned';
}

class CreateTombstones1799999999000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE az_tombstones (az_uuid uuid PRIMARY KEY, version integer NOT NULL)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE az_tombstones');
  }
}

@DurableConsumer('az-tombstones')
class Tombstoner implements EventConsumer {
  async handle(event: StoredEvent, tx: Transaction): Promise<void> {
    if (event.type !== AzDeleted.type) return;
    await tx.manager.query('INSERT INTO az_tombstones (az_uuid, version) VALUES ($1, 1)', [event.streamId]);
    await tx.append({ type: 'az_tombstone', id: event.streamId }, 0, [new AzTombstoned({ az_uuid: event.streamId })]);
  }
}

const TOMBSTONE_REPLAY: StreamProjection<{ key: string; version: number }> = {
  streamType: 'az_tombstone',
  handles: [AzTombstoned.type],
  apply: (_, event) => ({ key: event.streamId, version: event.version }),
  load: async (manager, { after, limit }) =>
    (
      (await manager.query(
        'SELECT az_uuid, version FROM az_tombstones WHERE $1::uuid IS NULL OR az_uuid > $1 ORDER BY az_uuid LIMIT $2',
        [after ?? null, limit],
      )) as { az_uuid: string; version: number }[]
    ).map((row) => ({ key: row.az_uuid, version: row.version })),
};

@ApiSchema({ name: 'Tombstone' })
class TombstoneSchema {
  @ApiProperty({ format: 'uuid' })
  az_uuid!: string;
}

describeApiTag('tombstone', 'Deleted availability zones (a test module).');

@ApiTags('tombstone')
@Controller('v1/tombstone')
class TombstonesController {
  @Get()
  @ApiDoc({ summary: 'list tombstones', result: listOf(TombstoneSchema) })
  listTombstone() {
    return { elements: [], size: 0, total: 0 };
  }
}

@FeatureModule({
  migrations: [CreateTombstones1799999999000],
  replay: [streamReplay(TOMBSTONE_REPLAY)],
  controllers: [TombstonesController],
  providers: [Tombstoner],
})
class TombstonesModule {}

/**
 * The seam extension modules stand on: a module brings its migrations, consumers, replay checks and
 * operations with it, and edits nothing else; verify:replay accounts for every stored event type.
 */
describe('module seam', () => {
  describe('a module whose events no replay check handles', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ extensions: [ForgetfulModule] });
    });
    afterAll(() => server?.close({ verify: false }));

    it('makes verify:replay fail, naming the event type', async () => {
      expect(await verifyReplay(server.dataSource, [ForgetfulModule])).toEqual([]);
      await server.app
        .get(UnitOfWork)
        .run(SERVER_ORIGIN, (tx) => tx.append({ type: 'gadget', id: 'g-1' }, 0, [new GadgetMade({ uuid: 'g-1' })]));
      const differences = await verifyReplay(server.dataSource, [ForgetfulModule]);
      expect(differences).toEqual([
        expect.stringMatching(/^GadgetMade \(first at position \d+, stream gadget\): no replay check handles/),
      ]);
    });
  });

  describe('a module added as one extension', () => {
    let server: TestServer;
    let admin: string;
    beforeAll(async () => {
      server = await startTestServer({ extensions: [TombstonesModule] });
      admin = await login(server, ADMIN.name, ADMIN.password);
    });
    afterAll(() => server?.close());

    it('brings its migration, its operations (documented) and its consumer', async () => {
      const document = (await server.http.get('/v1/openapi.json')).body;
      expect(document.paths['/v1/tombstone'].get).toMatchObject({ operationId: 'listTombstone', tags: ['tombstone'] });
      expect(document.tags).toContainEqual({ name: 'tombstone', description: 'Deleted availability zones (a test module).' });
      expect(expectResult(await server.http.get('/v1/tombstone').set(bearer(admin)))).toEqual({
        elements: [],
        size: 0,
        total: 0,
      });
    });

    it("appends a reaction's events in the consumer's transaction, tied to the request that caused them", async () => {
      const az = expectResult<{ az: { uuid: string } }>(
        await server.http.post('/v1/az').set(bearer(admin)).send({ name: 'doomed' }),
      ).az;
      expect(expectResult(await server.http.delete(`/v1/az/${az.uuid}`).set(bearer(admin)))).toBe(1);
      await server.caughtUp();
      const events = expectResult<{ elements: { position: number; type: string; metadata: Record<string, unknown> }[] }>(
        await server.http.get('/v1/event').query({ stream_id: az.uuid, limit: 10 }).set(bearer(admin)),
      ).elements;
      const deleted = events.find((e) => e.type === AzDeleted.type)!;
      const tombstoned = events.find((e) => e.type === AzTombstoned.type)!;
      expect(tombstoned.position).toBeGreaterThan(deleted.position);
      expect(tombstoned.metadata).toEqual({
        ...deleted.metadata,
        causation_position: deleted.position,
        causation_consumer: 'az-tombstones',
      });
      expect(await server.dataSource.query('SELECT az_uuid FROM az_tombstones')).toEqual([{ az_uuid: az.uuid }]);
      const byRequest = expectResult<{ elements: { type: string }[] }>(
        await server.http.get('/v1/event').query({ request_id: deleted.metadata.request_id }).set(bearer(admin)),
      ).elements;
      expect(byRequest.map((e) => e.type)).toEqual([AzDeleted.type, AzTombstoned.type]);
      expectError(await server.http.get('/v1/event').query({ request_id: 'x' }).set(bearer(admin)), 400, 'INVALID_ARGUMENT');
      const entries = expectResult<{ elements: { request_id: string }[] }>(
        await server.http
          .get('/v1/operation_log')
          .query({ path: `/v1/az/${az.uuid}` })
          .set(bearer(admin)),
      ).elements;
      expect(entries.map((e) => e.request_id)).toEqual([deleted.metadata.request_id]);
      expect(await verifyReplay(server.dataSource, [TombstonesModule])).toEqual([]);
    });
  });
});
