import { Role } from '@chime/contracts';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export const USER_STREAM = 'user';

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryColumn('uuid')
  uuid!: string;

  /** Unique regardless of case (index users_name_key on lower(name)). */
  @Column('text')
  name!: string;

  @Column('text', { name: 'nick_name' })
  nickName!: string;

  @Column('text')
  avatar!: string;

  @Column('smallint')
  role!: Role;

  /** argon2id; never leaves this module. */
  @Column('text', { name: 'password_hash' })
  passwordHash!: string;

  @Column('uuid', { name: 'default_az_uuid', nullable: true })
  defaultAzUuid!: string | null;

  @Column('uuid', { name: 'default_clusters_uuid', nullable: true })
  defaultClustersUuid!: string | null;

  /** Version of the user's event stream. */
  @Column('integer')
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
