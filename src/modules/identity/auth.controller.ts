import { Body, Controller, HttpCode, HttpStatus, Ip, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { AuthResult, LoginResult } from '@chime/contracts';
import { ApiDoc, ApiThrottled } from '../../platform/http/api-docs';
import { Public } from '../../platform/http/public.decorator';
import { LoginCommand } from './commands/login';
import { LogoutCommand } from './commands/logout';
import { LoginDto, TokenDto } from './identity.dto';
import { AuthenticateQuery } from './queries/authenticate';
import { SessionOwnerSchema, SessionSchema } from './user.view';
import type { Origin } from '@chime/event-log';
import { RequestOrigin } from '../../platform/http/request-origin.decorator';

@ApiTags('user')
@Public()
@Controller('v1')
export class AuthController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: "user's login method",
    description:
      'Opens a session: `result.user.uuid` is the API token, valid until `expired_at`. A wrong user name and a wrong ' +
      'password give the same 401.',
    result: { user: SessionSchema },
    errors: [401],
  })
  @ApiThrottled('too many failed logins for this user name from this address; wait Retry-After seconds')
  login(@RequestOrigin() origin: Origin, @Body() body: LoginDto, @Ip() ip: string): Promise<LoginResult> {
    return this.commands.execute(new LoginCommand(origin, body.user_name, body.password, ip));
  }

  @Post('logout')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: "user's logout method",
    description: 'The token stops working everywhere at once. Logging out an unknown token is also "ok".',
    result: 'ok',
  })
  logout(@RequestOrigin() origin: Origin, @Body() body: TokenDto): Promise<'ok'> {
    return this.commands.execute(new LogoutCommand(origin, body.token));
  }

  @Post('auth')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: "user's authentification",
    description: 'Who a token belongs to; 401 when it is not valid now.',
    result: { user: SessionOwnerSchema },
    errors: [401],
  })
  auth(@Body() body: TokenDto): Promise<AuthResult> {
    return this.queries.execute(new AuthenticateQuery(body.token));
  }
}
