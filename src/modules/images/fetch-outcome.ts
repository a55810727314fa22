import { Injectable, OnModuleInit } from '@nestjs/common';
import type { Transaction } from '@chime/event-log';
import { TaskPort, type EndedTask } from '../hosts/task.port';
import { ImageState } from './image.contract';
import { IMAGE_STREAM, ImageEntity } from './image.entity';
import { ImageFetched, ImageFetchFailed } from './image.events';
import { lockImageIfPresent } from './image.store';

/** A reported size: a whole number of bytes within what a JSON number carries exactly, else 0. */
function bytes(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

/** A reported checksum: a short printable string, else "". */
function checksum(value: unknown): string {
  return typeof value === 'string' && /^[\x20-\x7e]{0,200}$/.test(value) ? value : '';
}

/**
 * The outcome of an image's fetch (`image`/`fetch` tasks), applied in the transaction that ends the
 * task: success makes the image available (`state` 1) with the size and checksum the agent
 * reported; failure (the agent's, a timeout, the host deleted) makes it failed (`state` 10). Only
 * the image's current fetch counts (its `operation`).
 */
@Injectable()
export class FetchOutcomes implements OnModuleInit {
  constructor(private readonly tasks: TaskPort) {}

  onModuleInit(): void {
    this.tasks.onOutcome('image', (tx, task) => this.apply(tx, task));
  }

  private async apply(tx: Transaction, task: EndedTask): Promise<void> {
    if (task.operation !== 'fetch') return;
    const image = await lockImageIfPresent(tx.manager, task.resource_uuid);
    if (!image || image.state !== ImageState.Fetching || image.operation !== task.uuid) return;
    const stream = { type: IMAGE_STREAM, id: image.uuid };
    if (task.succeeded) {
      const fetched = { size: bytes(task.result?.size), checksum: checksum(task.result?.checksum) };
      await tx.manager.update(
        ImageEntity,
        { uuid: image.uuid },
        { state: ImageState.Available, operation: '', ...fetched, version: image.version + 1 },
      );
      await tx.append(stream, image.version, [new ImageFetched({ uuid: image.uuid, task_uuid: task.uuid, ...fetched })]);
    } else {
      await tx.manager.update(
        ImageEntity,
        { uuid: image.uuid },
        { state: ImageState.Failed, operation: '', version: image.version + 1 },
      );
      await tx.append(stream, image.version, [
        new ImageFetchFailed({ uuid: image.uuid, task_uuid: task.uuid, message: task.message }),
      ]);
    }
  }
}
