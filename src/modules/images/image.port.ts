import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { FailedPreconditionError } from '../../platform/errors/domain-error';
import type { Actor } from '../../platform/http/request-context';
import { ImageState } from './image.contract';
import { ImageEntity } from './image.entity';
import { visibleImage } from './image.policy';
import { IMAGE_ROWS } from './image.store';

/** What a volume made from an image needs to know of it. */
export interface ImageForVolume {
  uuid: string;
  name: string;
  format: string;
  install_url: string;
  /** Bytes. */
  size: number;
}

const STATE_NAMES: Record<number, string> = {
  [ImageState.Fetching]: 'being fetched',
  [ImageState.Suspended]: 'suspended',
  [ImageState.Failed]: 'failed (its fetch failed)',
};

/**
 * What other modules (storage, compute) may know of images and ask of them: the images module's
 * export. A module that keeps something made from an image references `images (uuid)` with a
 * foreign key (ON DELETE RESTRICT), so deleteImage is refused while anything is made from it.
 */
@Injectable()
export class ImagePort {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The image a volume is made from: visible to the actor (role 0: public, own or shared),
   * available (state 1); its row locked FOR SHARE until the commit. 404 unknown or not visible;
   * 400 FAILED_PRECONDITION when not available.
   */
  async forVolume(manager: EntityManager, imageUuid: string, actor: Actor): Promise<ImageForVolume> {
    // FOR SHARE: volumes may be made from one image at once; deleteImage (FOR UPDATE) waits for them.
    const locked: unknown[] = await manager.query('SELECT uuid FROM images WHERE uuid = $1 FOR SHARE', [imageUuid]);
    const found = locked.length === 0 ? undefined : await IMAGE_ROWS.findOne(manager, { uuid: imageUuid });
    const image = visibleImage(actor, found, imageUuid);
    if (image.state !== ImageState.Available) {
      const state = STATE_NAMES[image.state] ?? `in state ${image.state}`;
      throw new FailedPreconditionError(`image ${imageUuid} is ${state}, not available`);
    }
    return { uuid: image.uuid, name: image.name, format: image.format, install_url: image.installUrl, size: image.size };
  }

  /** Names of these images (deleted ones left out), for views. */
  async names(uuids: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, string>> {
    const wanted = [...new Set(uuids.filter((uuid) => uuid))];
    if (wanted.length === 0) return new Map();
    const rows = await manager.find(ImageEntity, { where: { uuid: In(wanted) }, select: { uuid: true, name: true } });
    return new Map(rows.map((row) => [row.uuid, row.name]));
  }
}
