import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { ApiDoc, listOf } from '../../platform/http/api-docs';
import { describeApiTag } from '../../platform/http/openapi';
import type { ListResult, UserDefaultView, UserView } from '@chime/contracts';
import { CurrentActor } from '../../platform/http/current-actor.decorator';
import type { Actor } from '../../platform/http/request-context';
import { UuidParam } from '../../platform/http/validation';
import { CreateUserCommand } from './commands/create-user';
import { DeleteUserCommand } from './commands/delete-user';
import { UpdateUserCommand } from './commands/update-user';
import { UpdateUserDefaultCommand } from './commands/update-user-default';
import { CreateUserDto, UpdateUserDefaultDto, UpdateUserDto, UserListParams } from './identity.dto';
import { GetUserQuery } from './queries/get-user';
import { GetUserDefaultQuery } from './queries/get-user-default';
import { ListUsersQuery } from './queries/list-users';
import { UserDefaultSchema, UserViewSchema } from './user.view';
import type { Origin } from '@chime/event-log';
import { RequestOrigin } from '../../platform/http/request-origin.decorator';

describeApiTag('user', 'Login, logout, tokens, users and their defaults.');

/** Users (API.md §2.2); who may do what is the handlers' UserPolicy (API.md §3). */
@ApiTags('user')
@Controller('v1/user')
export class UsersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiDoc({ summary: 'list users', description: 'A user (role 0) sees only itself.', result: listOf(UserViewSchema) })
  listUser(@CurrentActor() actor: Actor, @Query() query: UserListParams): Promise<ListResult<UserView>> {
    return this.queries.execute(new ListUsersQuery(actor, query));
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: 'create a user',
    description:
      'Administrators create users with roles below their own. `password` is required here (at least 8 characters): ' +
      'a user without one could never log in.',
    result: { user: UserViewSchema },
  })
  async createUser(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @Body() body: CreateUserDto,
  ): Promise<{ user: UserView }> {
    return { user: await this.commands.execute(new CreateUserCommand(origin, actor, body)) };
  }

  @Get(':UserUuid')
  @ApiDoc({ summary: "get a user's detailed information", result: { user: UserViewSchema } })
  async getUser(@CurrentActor() actor: Actor, @UuidParam('UserUuid') uuid: string): Promise<{ user: UserView }> {
    return { user: await this.queries.execute(new GetUserQuery(actor, uuid)) };
  }

  @Patch(':UserUuid')
  @ApiDoc({
    summary: 'update a user',
    description:
      'Any of the create fields; fields left out, sent as `null`, or resent unchanged stay as they are (and need no ' +
      "permission to change). A new password ends all of the user's sessions.",
    result: { user: 'ok' },
  })
  async updateUser(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @UuidParam('UserUuid') uuid: string,
    @Body() body: UpdateUserDto,
  ): Promise<{ user: 'ok' }> {
    return { user: await this.commands.execute(new UpdateUserCommand(origin, actor, uuid, body)) };
  }

  @Delete(':UserUuid')
  @ApiDoc({
    summary: 'delete a user',
    description: "Ends the user's sessions; the super administrator cannot be deleted.",
    result: 1,
  })
  deleteUser(@RequestOrigin() origin: Origin, @CurrentActor() actor: Actor, @UuidParam('UserUuid') uuid: string): Promise<1> {
    return this.commands.execute(new DeleteUserCommand(origin, actor, uuid));
  }

  @Get(':UserUuid/default')
  @ApiDoc({ summary: "get a user's default setting information", result: { default: UserDefaultSchema } })
  async getUserDefault(@CurrentActor() actor: Actor, @UuidParam('UserUuid') uuid: string): Promise<{ default: UserDefaultView }> {
    return { default: await this.queries.execute(new GetUserDefaultQuery(actor, uuid)) };
  }

  @Patch(':UserUuid/default')
  @ApiDoc({
    summary: "update user's default setting",
    description: 'The cluster must belong to that AZ; `null` clears a default.',
    result: { default: 'ok' },
  })
  async updateUserDefault(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @UuidParam('UserUuid') uuid: string,
    @Body() body: UpdateUserDefaultDto,
  ): Promise<{ default: 'ok' }> {
    return { default: await this.commands.execute(new UpdateUserDefaultCommand(origin, actor, uuid, body)) };
  }
}
