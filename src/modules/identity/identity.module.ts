import { streamReplay } from '@chime/event-log';
import { FeatureModule } from '../../platform/feature-module';
import { CreateIdentity1764300001000 } from './identity.migration';
import { IDENTITY_IMPORTER } from './identity.importer';
import { TOKEN_REPLAY, USER_REPLAY } from './identity.replay';
import { CreateLoginThrottle1764300001500 } from './login-throttle.migration';
import { TokenEntity } from './token.entity';
import { UserEntity } from './user.entity';
import { Global } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthController } from './auth.controller';
import { BootstrapAdmin } from './bootstrap-admin';
import { CreateUserHandler } from './commands/create-user';
import { DeleteUserHandler } from './commands/delete-user';
import { LoginHandler } from './commands/login';
import { LogoutHandler } from './commands/logout';
import { UpdateUserHandler } from './commands/update-user';
import { UpdateUserDefaultHandler } from './commands/update-user-default';
import { LoginClock, LoginThrottle } from './login-throttle';
import { Passwords } from './passwords';
import { AuthenticateHandler } from './queries/authenticate';
import { GetUserHandler } from './queries/get-user';
import { GetUserDefaultHandler } from './queries/get-user-default';
import { ListUsersHandler } from './queries/list-users';
import { Sessions } from './sessions';
import { TokenGuard } from './token.guard';
import { TokenSweeper } from './token-sweeper';
import { UsersController } from './users.controller';

/** Login, logout, tokens, users and roles (global: its Sessions port serves the event streams); its TokenGuard protects every route of the server. */
@Global()
@FeatureModule({
  entities: [UserEntity, TokenEntity],
  migrations: [CreateIdentity1764300001000, CreateLoginThrottle1764300001500],
  replay: [streamReplay(USER_REPLAY), streamReplay(TOKEN_REPLAY)],
  importers: [IDENTITY_IMPORTER],
  controllers: [AuthController, UsersController],
  providers: [
    { provide: APP_GUARD, useClass: TokenGuard },
    Sessions,
    Passwords,
    LoginClock,
    LoginThrottle,
    BootstrapAdmin,
    TokenSweeper,
    LoginHandler,
    LogoutHandler,
    CreateUserHandler,
    UpdateUserHandler,
    UpdateUserDefaultHandler,
    DeleteUserHandler,
    ListUsersHandler,
    GetUserHandler,
    GetUserDefaultHandler,
    AuthenticateHandler,
  ],
  exports: [Sessions],
})
export class IdentityModule {}
