import { OnModuleInit } from '@nestjs/common';
import { DomainEvent, DurableConsumer, EventConsumer, ReplayCheck, StoredEvent, Transaction } from '@chime/event-log';
import { FeatureModule } from '../../src/platform/feature-module';
import { DataSource } from 'typeorm';

/** An event only the tests write. */
export class ProbeHappened extends DomainEvent<{ n: number }> {
  static override readonly type = 'ProbeHappened';
}
/** An event the flaky consumer cannot handle while `FlakyConsumer.broken` is set. */
export class PoisonPill extends DomainEvent<{ n: number }> {
  static override readonly type = 'PoisonPill';
}

/**
 * The example of a module subscribing to the event log: it records every event it is given in a
 * table of its own, in the same transaction as its checkpoint. The primary key makes a second
 * delivery of one event fail loudly, and `seq` keeps the order of delivery.
 */
@DurableConsumer('probe-recorder')
export class RecordingConsumer implements EventConsumer {
  async handle(event: StoredEvent, tx: Transaction): Promise<void> {
    await tx.manager.query('INSERT INTO probe_seen (consumer, position) VALUES ($1, $2)', ['probe-recorder', event.position]);
  }
}

/** A second, independent consumer: the same events, in the same order. */
@DurableConsumer('probe-second')
export class SecondConsumer implements EventConsumer {
  async handle(event: StoredEvent, tx: Transaction): Promise<void> {
    await tx.manager.query('INSERT INTO probe_seen (consumer, position) VALUES ($1, $2)', ['probe-second', event.position]);
  }
}

/** Throws on a PoisonPill while broken; the tests repair it. */
@DurableConsumer('probe-flaky')
export class FlakyConsumer implements EventConsumer {
  static broken = false;
  static attempts = 0;

  async handle(event: StoredEvent, tx: Transaction): Promise<void> {
    if (event.type === PoisonPill.type) {
      FlakyConsumer.attempts++;
      if (FlakyConsumer.broken) throw new Error(`cannot digest event ${event.position}`);
    }
    await tx.manager.query('INSERT INTO probe_seen (consumer, position) VALUES ($1, $2)', ['probe-flaky', event.position]);
  }
}

/** Reacts to PoisonPill only: handed those alone, its checkpoint still passes every event. */
@DurableConsumer('probe-poison-only', { reactsTo: [PoisonPill.type] })
export class PoisonOnlyConsumer implements EventConsumer {
  async handle(event: StoredEvent, tx: Transaction): Promise<void> {
    await tx.manager.query('INSERT INTO probe_seen (consumer, position) VALUES ($1, $2)', ['probe-poison-only', event.position]);
  }
}

/** The probe events carry no state of their own: the replay check has nothing to rebuild from them. */
const PROBE_REPLAY: ReplayCheck = {
  name: 'probe',
  handles: [ProbeHappened.type, PoisonPill.type],
  begin: () => ({ apply: () => undefined, finish: async () => [] }),
};

@FeatureModule({ providers: [RecordingConsumer, SecondConsumer, FlakyConsumer, PoisonOnlyConsumer], replay: [PROBE_REPLAY] })
export class ProbeConsumersModule implements OnModuleInit {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs before the consumers start (they start when the application has bootstrapped). */
  async onModuleInit(): Promise<void> {
    await this.dataSource.query(`
      CREATE TABLE IF NOT EXISTS probe_seen (
        consumer  text   NOT NULL,
        position  bigint NOT NULL,
        seq       bigint GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (consumer, position)
      )`);
  }
}
