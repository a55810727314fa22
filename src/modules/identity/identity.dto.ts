import { ApiProperty, ApiPropertyOptional, PartialType, ApiSchema } from '@nestjs/swagger';
import {
  type CreateUserRequest,
  type LoginRequest,
  Role,
  type TokenRequest,
  type UpdateUserDefaultRequest,
  type UpdateUserRequest,
  USER_SORTABLE,
} from '@chime/contracts';
import { IsIn, IsOptional, IsString, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { ListQuery } from '../../platform/http/list-query';
import { DisplayText, NameFilter, IntChoiceFilter } from '../../platform/http/resource-fields';
import { Nullable, IsAnyUuid } from '../../platform/http/validation';

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const NAME_RULE = 'name must be 1 to 64 of A-Z a-z 0-9 _ . -';
const ROLES = [Role.User, Role.ReadOnlyAdmin, Role.Admin, Role.SuperAdmin];
/** New passwords: at least 8 characters; at most 256 so that hashing cannot be used to burn CPU. */
const PASSWORD = { min: 8, max: 256 };

@ApiSchema({ name: 'LoginRequest' })
export class LoginDto implements LoginRequest {
  @ApiProperty({ example: 'admin' })
  @IsString()
  @MaxLength(64)
  user_name!: string;

  @ApiProperty({ example: 'admin' })
  @IsString()
  @MaxLength(PASSWORD.max)
  password!: string;
}

@ApiSchema({ name: 'AuthRequest' })
export class TokenDto implements TokenRequest {
  @ApiProperty({ description: 'the API token returned by login' })
  @IsString()
  @MaxLength(64)
  token!: string;
}

@ApiSchema({ name: 'CreateUserRequest' })
export class CreateUserDto implements CreateUserRequest {
  @ApiProperty({ pattern: NAME.source })
  @IsString()
  @Matches(NAME, { message: NAME_RULE })
  name!: string;

  @ApiProperty({ maxLength: 64 })
  @IsString()
  @MaxLength(64)
  @DisplayText()
  nick_name!: string;

  @ApiProperty({ minLength: PASSWORD.min, maxLength: PASSWORD.max })
  @IsString()
  @Length(PASSWORD.min, PASSWORD.max, { message: `password must be ${PASSWORD.min} to ${PASSWORD.max} characters` })
  password!: string;

  @ApiPropertyOptional({ maxLength: 1024 })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  avatar?: string;

  @ApiPropertyOptional({ enum: ROLES, default: Role.User })
  @IsOptional()
  @IsIn(ROLES, { message: 'role must be 0, 1, 2 or 3' })
  role?: Role;
}

@ApiSchema({ name: 'UpdateUserRequest' })
export class UpdateUserDto extends PartialType(CreateUserDto) implements UpdateUserRequest {}

export class UserListParams extends ListQuery(USER_SORTABLE) {
  @NameFilter()
  name?: string;

  @IntChoiceFilter(ROLES, 'role must be 0, 1, 2 or 3')
  role?: Role;
}

@ApiSchema({ name: 'CreateUserDefaultRequest' })
export class UpdateUserDefaultDto implements UpdateUserDefaultRequest {
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  @Nullable()
  @ValidateIf((_, value) => value !== null)
  @IsAnyUuid('az_uuid must be a UUID or null')
  az_uuid!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  @Nullable()
  @ValidateIf((_, value) => value !== null)
  @IsAnyUuid('clusters_uuid must be a UUID or null')
  clusters_uuid!: string | null;
}
