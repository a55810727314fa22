import { Role } from '@chime/contracts';
import type { DomainEvent, Transaction } from '@chime/event-log';
import { Not, type EntityManager } from 'typeorm';
import {
  dtoProblems,
  refuse,
  sourceTime,
  sourceUuid,
  writeEach,
  type ImportContext,
  type Importer,
  type ImportWork,
} from '../../platform/import/importer';
import { SUPER_ADMIN_NAME } from './bootstrap-admin';
import { CreateUserDto } from './identity.dto';
import { UserCreated, UserDefaultChanged, UserDeleted } from './identity.events';
import { isBcryptHash } from './passwords';
import { REVOCATION_CHANNEL } from './sessions';
import { lockActiveTokens, revokeTokens } from './tokens';
import { USER_STREAM, UserEntity } from './user.entity';
import { toUserState } from './user.view';

const USERS = 't_user';
const DEFAULTS = 't_user_default';
/** ChimeStack's `t_user.state`: only available users are imported (this server has no disabled users). */
const AVAILABLE = 1;
const DELETED = 4;

interface UserSourceRow {
  uuid: string;
  name: string;
  nick_name: string;
  state: number;
  password: string;
  role: number;
  avatar: string;
  created_at: string | null;
}

interface DefaultSourceRow {
  owner_uuid: string;
  az_uuid: string;
  cluster_uuid: string;
}

/**
 * ChimeStack's `t_user` and `t_user_default` → users (ids, names, roles and bcrypt hashes kept; the
 * hash becomes argon2id at the user's first login) with their defaults. The source's super
 * administrator becomes `admin` and replaces the one this server created on its first start.
 * Runs after zones and clusters: defaults refer to them.
 */
export const IDENTITY_IMPORTER: Importer = {
  name: 'identity',
  after: ['zones', 'clusters'],
  async occupied(manager: EntityManager) {
    // The super administrator created at the first start is replaced by the source's.
    const count = await manager.count(UserEntity, { where: { role: Not(Role.SuperAdmin) } });
    return count > 0 ? [`${count} users besides the super administrator`] : [];
  },
  async plan(context: ImportContext): Promise<ImportWork> {
    const users = await planUsers(context);
    const byUuid = new Map(users.map((user) => [user.uuid, user]));
    const defaults = await context.source.select<DefaultSourceRow>(
      DEFAULTS,
      ['owner_uuid', 'az_uuid', 'cluster_uuid'],
      'owner_uuid',
    );
    let withDefaults = 0;
    for (const row of defaults) {
      const user = byUuid.get(row.owner_uuid.toLowerCase());
      if (!user) {
        context.report.skip(DEFAULTS, row.owner_uuid, 'its user is not imported');
        continue;
      }
      settleDefault(context, user, row);
      if (user.defaultAzUuid) withDefaults++;
    }
    context.report.count(DEFAULTS, withDefaults);
    const work = writeEach(USERS, users, async (tx, user) => {
      const events: DomainEvent[] = [new UserCreated(toUserState(user))];
      if (user.defaultAzUuid) {
        events.push(
          new UserDefaultChanged({ uuid: user.uuid, az_uuid: user.defaultAzUuid, clusters_uuid: user.defaultClustersUuid }),
        );
      }
      await tx.manager.insert(UserEntity, { ...user, version: events.length });
      await tx.append({ type: USER_STREAM, id: user.uuid }, 0, events);
    });
    return {
      rows: work.rows,
      async write(tx, done) {
        await replaceSuperAdmin(tx);
        await work.write(tx, done);
      },
    };
  },
};

async function planUsers(context: ImportContext): Promise<UserEntity[]> {
  const rows = await context.source.select<UserSourceRow>(USERS, [
    'uuid',
    'name',
    'nick_name',
    'state',
    'password',
    'role',
    'avatar',
    'created_at',
  ]);
  const candidates = rows.filter((row) => {
    if (row.state === AVAILABLE) return true;
    const why = row.state === DELETED ? 'deleted in ChimeStack (state 4)' : `not available in ChimeStack (state ${row.state})`;
    context.report.skip(USERS, row.uuid, `${why}; this server has no disabled users`);
    return false;
  });
  const superAdmin = chooseSuperAdmin(context, candidates);
  const users: UserEntity[] = [];
  const names = new Map<string, string>();
  for (const row of candidates) {
    const uuid = sourceUuid(context, USERS, row.uuid);
    if (!uuid) continue;
    let role = row.role as Role;
    const name = row === superAdmin ? SUPER_ADMIN_NAME : row.name;
    if (row !== superAdmin && role === Role.SuperAdmin) {
      role = Role.Admin;
      context.report.notes.push(`${USERS} ${uuid} ("${row.name}"): a second super administrator, imported as administrator (2)`);
    }
    if (name !== row.name) {
      context.report.renamed.push({ table: USERS, uuid, from: row.name, to: name, why: 'the super administrator is admin here' });
    }
    const user: UserEntity = {
      uuid,
      name,
      nickName: row.nick_name,
      avatar: row.avatar,
      role,
      passwordHash: row.password,
      defaultAzUuid: null,
      defaultClustersUuid: null,
      version: 1,
      createdAt: sourceTime(row.created_at, context),
    };
    // The password is checked at login, not here: a placeholder stands in for the DTO's rule.
    const problems = dtoProblems(CreateUserDto, {
      name: user.name,
      nick_name: user.nickName,
      avatar: user.avatar,
      role: user.role,
      password: 'placeholder',
    });
    if (!isBcryptHash(row.password)) problems.push('password is not a bcrypt hash ($2a$, $2b$ or $2y$)');
    const clash = names.get(name.toLowerCase());
    if (clash) problems.push(`name "${name}" is taken by user ${clash} (names are unique regardless of case here)`);
    if (problems.length > 0) {
      refuse(context, USERS, uuid, problems, name);
      continue;
    }
    names.set(name.toLowerCase(), uuid);
    users.push(user);
    context.ids.add('user', uuid);
  }
  context.report.count(USERS, users.length);
  return users;
}

/**
 * The source's super administrator (role 3) that becomes `admin`: the one named admin, else the
 * oldest. This server has exactly one; any other role-3 user comes in as an administrator (2).
 */
function chooseSuperAdmin(context: ImportContext, rows: UserSourceRow[]): UserSourceRow | undefined {
  const supers = rows.filter((row) => row.role === Role.SuperAdmin);
  const chosen = supers.find((row) => row.name.toLowerCase() === SUPER_ADMIN_NAME) ?? supers[0];
  if (!chosen) context.report.problem(USERS, '*', 'no available super administrator (role 3) to become admin');
  return chosen;
}

/** The user's defaults as far as they point at imported AZs and clusters (a cluster of that AZ). */
function settleDefault(context: ImportContext, user: UserEntity, row: DefaultSourceRow): void {
  const azUuid = row.az_uuid.toLowerCase();
  const clusterUuid = row.cluster_uuid.toLowerCase();
  if (azUuid && !context.ids.get('az', azUuid)) {
    context.report.notes.push(`${DEFAULTS} ${user.uuid}: default AZ ${azUuid} is not imported, so no default is set`);
    return;
  }
  user.defaultAzUuid = azUuid || null;
  if (!clusterUuid) return;
  if (!azUuid || context.ids.get('cluster', clusterUuid)?.az_uuid !== azUuid) {
    context.report.notes.push(
      `${DEFAULTS} ${user.uuid}: default cluster ${clusterUuid} is not an imported cluster of its default AZ, so it is not set`,
    );
    return;
  }
  user.defaultClustersUuid = clusterUuid;
}

/** The super administrator created at the first start makes way for the source's: its sessions end, it is deleted. */
async function replaceSuperAdmin(tx: Transaction): Promise<void> {
  const current = await tx.manager.findOne(UserEntity, { where: { role: Role.SuperAdmin }, lock: { mode: 'pessimistic_write' } });
  if (!current) return;
  await revokeTokens(tx, await lockActiveTokens(tx, current.uuid), 'user_deleted');
  await tx.append({ type: USER_STREAM, id: current.uuid }, current.version, [new UserDeleted({ uuid: current.uuid })]);
  await tx.manager.delete(UserEntity, { uuid: current.uuid });
  // Server processes running on this database drop its cached sessions at the commit.
  await tx.manager.query('SELECT pg_notify($1, $2)', [REVOCATION_CHANNEL, JSON.stringify({ userUuid: current.uuid })]);
}
