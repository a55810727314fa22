import { DurableConsumer, EventConsumer, StoredEvent, Transaction } from '@chime/event-log';
import { TaskFailed, TaskSucceeded } from '../hosts/task.events';
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
 * The outcome of an image's fetch (`image`/`fetch` tasks): success makes the image available
 * (`state` 1) with the size and checksum the agent reported; failure (the agent's, a timeout, the
 * host deleted) makes it failed (`state` 10). Only the image's current fetch counts (its
 * `operation`); the events carry the task's request id and causation.
 */
@DurableConsumer('images-fetch-outcome')
export class FetchOutcomeConsumer implements EventConsumer {
  async handle(event: StoredEvent, tx: Transaction): Promise<void> {
    if (event.type !== TaskSucceeded.type && event.type !== TaskFailed.type) return;
    const task = event.data as TaskSucceeded['data'] | TaskFailed['data'];
    if (task.resource_type !== 'image' || task.operation !== 'fetch') return;
    const image = await lockImageIfPresent(tx.manager, task.resource_uuid);
    if (!image || image.state !== ImageState.Fetching || image.operation !== task.uuid) return;
    const stream = { type: IMAGE_STREAM, id: image.uuid };
    if (event.type === TaskSucceeded.type) {
      const fetched = { size: bytes(task.result?.size), checksum: checksum(task.result?.checksum) };
      await tx.manager.update(
        ImageEntity,
        { uuid: image.uuid },
        { state: ImageState.Available, operation: '', ...fetched, version: image.version + 1 },
      );
      await tx.append(stream, image.version, [new ImageFetched({ uuid: image.uuid, task_uuid: task.uuid, ...fetched })]);
    } else {
      const { message } = task as TaskFailed['data'];
      await tx.manager.update(
        ImageEntity,
        { uuid: image.uuid },
        { state: ImageState.Failed, operation: '', version: image.version + 1 },
      );
      await tx.append(stream, image.version, [new ImageFetchFailed({ uuid: image.uuid, task_uuid: task.uuid, message })]);
    }
  }
}
