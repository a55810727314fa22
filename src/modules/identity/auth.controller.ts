import { Body, Controller, HttpCode, HttpStatus, Ip, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { AuthResult, LoginResult } from '@chime/contracts';
import { Public } from '../../platform/http/public.decorator';
import { LoginCommand } from './commands/login';
import { LogoutCommand } from './commands/logout';
import { LoginDto, TokenDto } from './identity.dto';
import { AuthenticateQuery } from './queries/authenticate';

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
  login(@Body() body: LoginDto, @Ip() ip: string): Promise<LoginResult> {
    return this.commands.execute(new LoginCommand(body.user_name, body.password, ip));
  }

  @Post('logout')
  @HttpCode(HttpStatus.OK)
  logout(@Body() body: TokenDto): Promise<'ok'> {
    return this.commands.execute(new LogoutCommand(body.token));
  }

  @Post('auth')
  @HttpCode(HttpStatus.OK)
  auth(@Body() body: TokenDto): Promise<AuthResult> {
    return this.queries.execute(new AuthenticateQuery(body.token));
  }
}
