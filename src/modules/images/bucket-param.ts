import { Param, type PipeTransform } from '@nestjs/common';
import { InvalidArgumentError } from '../../platform/errors/domain-error';
import { UUID } from '../../platform/http/validation';
import { PUBLIC_BUCKET } from './image.contract';

/** A bucket's uuid: `public`, or a UUID (a user's bucket: the user's uuid). */
export function isBucketUuid(value: string): boolean {
  return value === PUBLIC_BUCKET || UUID.test(value);
}

/** Bucket uuids are kept lowercase (a user's uuid as PostgreSQL writes it). */
export const normalBucketUuid = (value: string): string => value.toLowerCase();

class BucketUuidPipe implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}

  transform(value: string): string {
    if (!isBucketUuid(value)) throw new InvalidArgumentError(`${this.name} must be public or a UUID`);
    return normalBucketUuid(value);
  }
}

/** The `{ImageBucketUuid}` path parameter: `public` or a UUID, else 400 INVALID_ARGUMENT. */
export const BucketUuidParam = (name: string) => Param(name, new BucketUuidPipe(name));
