import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Role } from '@chime/contracts';
import { UnitOfWork, SERVER_ORIGIN } from '@chime/event-log';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../platform/config/app-config';
import { UserCreated } from './identity.events';
import { Passwords } from './passwords';
import { USER_STREAM, UserEntity } from './user.entity';
import { toUserState } from './user.view';

export const SUPER_ADMIN_NAME = 'admin';
const DEFAULT_PASSWORD = 'admin';

/**
 * On an empty database, creates the super administrator `admin` with CHIME_ADMIN_PASSWORD (or
 * "admin"). At every start, warns while its password is still the default.
 */
@Injectable()
export class BootstrapAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger('Identity');

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly passwords: Passwords,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    let admin = await this.dataSource.getRepository(UserEntity).findOne({ where: { role: Role.SuperAdmin } });
    if (!admin && (await this.dataSource.getRepository(UserEntity).count()) === 0) {
      admin = await this.create();
    }
    if (admin && (await this.passwords.verify(admin.passwordHash, DEFAULT_PASSWORD))) {
      this.logger.warn(
        'the super administrator "admin" still has the default password "admin": change it (PATCH /v1/user/{uuid})',
      );
    }
  }

  private async create(): Promise<UserEntity> {
    const admin: UserEntity = {
      uuid: randomUUID(),
      name: SUPER_ADMIN_NAME,
      nickName: 'Super administrator',
      avatar: '',
      role: Role.SuperAdmin,
      passwordHash: await this.passwords.hash(this.config.CHIME_ADMIN_PASSWORD),
      defaultAzUuid: null,
      defaultClustersUuid: null,
      version: 1,
      createdAt: new Date(),
    };
    try {
      await this.uow.run(SERVER_ORIGIN, async (tx) => {
        await tx.manager.insert(UserEntity, admin);
        await tx.append({ type: USER_STREAM, id: admin.uuid }, 0, [new UserCreated(toUserState(admin))]);
      });
      this.logger.log('created the super administrator "admin"');
      return admin;
    } catch (error) {
      // Another server process starting on the same database created it first.
      const existing = await this.dataSource.getRepository(UserEntity).findOne({ where: { role: Role.SuperAdmin } });
      if (existing) return existing;
      throw error;
    }
  }
}
