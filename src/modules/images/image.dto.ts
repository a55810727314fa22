import { ApiProperty, ApiPropertyOptional, ApiSchema, OmitType, PartialType } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import { IsIn, IsOptional, IsString, Length, Matches, MaxLength, ValidateBy } from 'class-validator';
import { ListQuery } from '../../platform/http/list-query';
import { DisplayText, IntChoiceFilter, NameFilter, ResourceDescription, VisibleName } from '../../platform/http/resource-fields';
import { Transform } from 'class-transformer';
import { UUID } from '../../platform/http/validation';
import { isBucketUuid, normalBucketUuid } from './bucket-param';
import {
  IMAGE_BUCKET_SORTABLE,
  IMAGE_FORMATS,
  IMAGE_LIMITS,
  IMAGE_SORTABLE,
  IMAGE_STATES,
  ImageBucketType,
  type CreateImageBucketRequest,
  type CreateImageRequest,
  type ImageFormat,
  type UpdateImageRequest,
} from './image.contract';
import { IsInstallUrl } from './install-url';

export const IMAGE_DEFAULTS = { format: 'qcow2', description: '', label: '', shared: 0 } as const;

const FORMAT_RULE = `format must be one of: ${IMAGE_FORMATS.join(', ')}`;
const SHARED_RULE = 'shared must be 0 (only the owner sees it) or 1 (every user sees it)';
const STATE_RULE = `state must be one of: ${IMAGE_STATES.join(', ')}`;
const BUCKET_TYPES = [ImageBucketType.Public, ImageBucketType.Private];
const BUCKET_TYPE_RULE = 'type must be 0 (public) or 1 (private)';
const NO_CONTROLS = /^\P{Cc}*$/u;

/** The name of an image: 1 to 255 characters, something visible among them (as chime.sql's varchar(255)). */
const ImageName = () =>
  applyDecorators(
    ApiProperty({ minLength: 1, maxLength: IMAGE_LIMITS.nameLength, example: 'centos' }),
    IsString(),
    Length(1, IMAGE_LIMITS.nameLength),
    VisibleName(),
  );

/** os_type, os_detail, os_arch, boot_type: free text of at most 32 characters (chime.sql). */
const Label = (description: string, example: string) =>
  applyDecorators(
    ApiPropertyOptional({ maxLength: IMAGE_LIMITS.labelLength, description, example }),
    IsOptional(),
    IsString(),
    MaxLength(IMAGE_LIMITS.labelLength),
    Matches(NO_CONTROLS, { message: '$property must not contain control characters' }),
    DisplayText(),
  );

@ApiSchema({ name: 'CreateImageRequest' })
export class CreateImageDto implements CreateImageRequest {
  @ImageName()
  name!: string;

  @ResourceDescription()
  description?: string;

  @ApiPropertyOptional({ enum: [...IMAGE_FORMATS], default: IMAGE_DEFAULTS.format })
  @IsOptional()
  @IsIn([...IMAGE_FORMATS], { message: FORMAT_RULE })
  format?: ImageFormat;

  @ApiProperty({
    maxLength: IMAGE_LIMITS.urlLength,
    description:
      'where a node fetches the image: a `file://` (a path on the node), `http://` or `https://` URL, printable ASCII, ' +
      'without credentials (the URL is shown to every reader of the image)',
    example: 'file:///root/images/centos7_cloudinit.qcow2',
  })
  @IsInstallUrl()
  install_url!: string;

  @Label("the operating system's type, like Linux or Windows", 'Linux')
  os_type?: string;

  @Label('the version of the operating system', 'CentOS 8.5')
  os_detail?: string;

  @Label('the architecture, like x86_64', 'x86_64')
  os_arch?: string;

  @Label('how it boots, like bios or uefi', 'bios')
  boot_type?: string;

  @ApiPropertyOptional({ enum: [0, 1], default: IMAGE_DEFAULTS.shared, description: SHARED_RULE })
  @IsOptional()
  @IsIn([0, 1], { message: SHARED_RULE })
  shared?: 0 | 1;
}

/** Any of the create fields but `install_url` (an image's source is fixed). */
@ApiSchema({ name: 'UpdateImageRequest' })
export class UpdateImageDto
  extends PartialType(OmitType(CreateImageDto, ['install_url'] as const))
  implements UpdateImageRequest {}

export class ImageListParams extends ListQuery(IMAGE_SORTABLE) {
  @NameFilter()
  name?: string;

  @IntChoiceFilter(IMAGE_STATES, STATE_RULE, '0 being fetched, 1 available, 2 suspended, 10 failed')
  state?: number;

  @ApiPropertyOptional({ enum: [...IMAGE_FORMATS] })
  @IsOptional()
  @IsIn([...IMAGE_FORMATS], { message: FORMAT_RULE })
  format?: ImageFormat;

  @ApiPropertyOptional({ maxLength: IMAGE_LIMITS.labelLength, description: 'exactly this os_type' })
  @IsOptional()
  @IsString()
  @MaxLength(IMAGE_LIMITS.labelLength)
  os_type?: string;

  @IntChoiceFilter(BUCKET_TYPES, BUCKET_TYPE_RULE, "the bucket's type: 0 public images, 1 users' private images")
  type?: number;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @Matches(UUID, { message: 'uuid must be a UUID' })
  uuid?: string;

  @ApiPropertyOptional({ description: "`public` or a UUID (a user's bucket)" })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && isBucketUuid(value) ? normalBucketUuid(value) : value,
  )
  @ValidateBy(
    { name: 'isBucketUuid', validator: { validate: (v: unknown) => typeof v === 'string' && isBucketUuid(v) } },
    {
      message: 'bucket_uuid must be public or a UUID',
    },
  )
  bucket_uuid?: string;
}

@ApiSchema({ name: 'CreateImageBucketRequest' })
export class CreateImageBucketDto implements CreateImageBucketRequest {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: IMAGE_LIMITS.nameLength,
    description:
      "a bucket's name is fixed: `public` for the public bucket, the owner's uuid for a private one; " +
      'when given it must be that',
  })
  @IsOptional()
  @IsString()
  @Length(1, IMAGE_LIMITS.nameLength)
  name?: string;

  @ApiPropertyOptional({
    maxLength: IMAGE_LIMITS.nameLength,
    description: "the bucket's name in the object store (default: its name)",
  })
  @IsOptional()
  @IsString()
  @MaxLength(IMAGE_LIMITS.nameLength)
  @Matches(NO_CONTROLS, { message: 'bucket_name must not contain control characters' })
  @DisplayText()
  bucket_name?: string;

  @ResourceDescription()
  description?: string;

  @ApiPropertyOptional({
    enum: BUCKET_TYPES,
    default: ImageBucketType.Private,
    description: "0 public, 1 private (the caller's own)",
  })
  @IsOptional()
  @IsIn(BUCKET_TYPES, { message: BUCKET_TYPE_RULE })
  type?: ImageBucketType;
}

export class ImageBucketListParams extends ListQuery(IMAGE_BUCKET_SORTABLE) {
  @NameFilter()
  name?: string;

  @IntChoiceFilter([1], 'state must be 1', '1 available')
  state?: number;

  @IntChoiceFilter(BUCKET_TYPES, BUCKET_TYPE_RULE, '0 public, 1 private')
  type?: number;
}
