import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
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

/** Users (API.md §2.2); who may do what is the handlers' UserPolicy (API.md §3). */
@ApiTags('user')
@Controller('v1/user')
export class UsersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  listUser(@CurrentActor() actor: Actor, @Query() query: UserListParams): Promise<ListResult<UserView>> {
    return this.queries.execute(new ListUsersQuery(actor, query));
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  async createUser(@CurrentActor() actor: Actor, @Body() body: CreateUserDto): Promise<{ user: UserView }> {
    return { user: await this.commands.execute(new CreateUserCommand(actor, body)) };
  }

  @Get(':UserUuid')
  async getUser(@CurrentActor() actor: Actor, @UuidParam('UserUuid') uuid: string): Promise<{ user: UserView }> {
    return { user: await this.queries.execute(new GetUserQuery(actor, uuid)) };
  }

  @Patch(':UserUuid')
  async updateUser(
    @CurrentActor() actor: Actor,
    @UuidParam('UserUuid') uuid: string,
    @Body() body: UpdateUserDto,
  ): Promise<{ user: 'ok' }> {
    return { user: await this.commands.execute(new UpdateUserCommand(actor, uuid, body)) };
  }

  @Delete(':UserUuid')
  deleteUser(@CurrentActor() actor: Actor, @UuidParam('UserUuid') uuid: string): Promise<1> {
    return this.commands.execute(new DeleteUserCommand(actor, uuid));
  }

  @Get(':UserUuid/default')
  async getUserDefault(@CurrentActor() actor: Actor, @UuidParam('UserUuid') uuid: string): Promise<{ default: UserDefaultView }> {
    return { default: await this.queries.execute(new GetUserDefaultQuery(actor, uuid)) };
  }

  @Patch(':UserUuid/default')
  async updateUserDefault(
    @CurrentActor() actor: Actor,
    @UuidParam('UserUuid') uuid: string,
    @Body() body: UpdateUserDefaultDto,
  ): Promise<{ default: 'ok' }> {
    return { default: await this.commands.execute(new UpdateUserDefaultCommand(actor, uuid, body)) };
  }
}
