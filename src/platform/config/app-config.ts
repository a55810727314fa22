import { applyDecorators } from '@nestjs/common';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;

/** An integer setting within bounds, given in the environment as plain digits. */
const IntSetting = (min: number, max?: number) =>
  applyDecorators(Transform(toInt), IsInt(), Min(min), ...(max === undefined ? [] : [Max(max)]));

/** A setting that must be at least another one, e.g. `@Validate(NotBelow, ['HTTP_HEADERS_TIMEOUT_MS'])`. */
@ValidatorConstraint({ name: 'notBelow' })
class NotBelow implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const other = (args.object as Record<string, unknown>)[args.constraints[0] as string];
    // An invalid other setting is reported under its own name.
    return typeof value !== 'number' || typeof other !== 'number' || value >= other;
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be at least ${args.constraints[0] as string}`;
  }
}

/**
 * Every setting the server reads, from the environment (API.md §7). Validated once at start;
 * a bad value stops the process with a message naming the variable.
 */
export class AppConfig {
  @IntSetting(0, 65535)
  PORT = 8801;

  @IsString()
  HOST = '0.0.0.0';

  /** PostgreSQL server; when unset the embedded database under CHIME_DATA_DIR is used. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  /** Where the embedded database keeps its files; `memory://` keeps them in memory only. */
  @IsString()
  @MinLength(1)
  CHIME_DATA_DIR = './data';

  @IsString()
  @MinLength(1)
  CHIME_ADMIN_PASSWORD = 'admin';

  /** Token lifetime in seconds (default 12 h). */
  @IntSetting(1)
  CHIME_TOKEN_TTL = 12 * 3600;

  /**
   * Failed logins a (user name, client address) pair may make before it must wait; also the bound
   * of a user name over all addresses, and a fifth of the bound of an address over all names
   * (see login-throttle.ts).
   */
  @IntSetting(1)
  CHIME_LOGIN_MAX_FAILURES = 10;

  /** Failed logins are forgotten after this many seconds without another one (after a wait has ended). */
  @IntSetting(1)
  CHIME_LOGIN_FAILURE_WINDOW = 300;

  /** Longest wait, in seconds, that failed logins can earn a (user name, address) pair. */
  @IntSetting(1, 86_400)
  CHIME_LOGIN_MAX_BACKOFF = 900;

  /**
   * Seconds between two attempts from an address past its bound. Kept short: it is also what
   * other users behind the same address (a NAT) may have to wait.
   */
  @IntSetting(1, 10)
  CHIME_LOGIN_ADDRESS_DELAY = 2;

  /** Event streams (GET /v1/event/stream) one user may hold open at once. */
  @IntSetting(1)
  CHIME_MAX_STREAMS_PER_USER = 5;

  /** Event streams open at once on this process, all users together. */
  @IntSetting(1)
  CHIME_MAX_STREAMS = 200;

  /** Seconds between heartbeat comments on an open event stream, so proxies and clients see it alive. */
  @IntSetting(1, 3600)
  CHIME_STREAM_HEARTBEAT = 15;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** `auto`: readable lines when stdout is a terminal, JSON lines otherwise; `json` or `pretty` always. */
  @IsIn(['auto', 'json', 'pretty'])
  LOG_FORMAT: 'auto' | 'json' | 'pretty' = 'auto';

  /** Connections kept open to a PostgreSQL server (the embedded database always uses one). */
  @IntSetting(1, 200)
  DATABASE_POOL_SIZE = 10;

  /**
   * Longest a statement of the server's may run on a PostgreSQL server (its `statement_timeout`);
   * the server's client gives up a little later by itself, for when the answer cannot arrive (packets
   * dropped). Either way the request answers 500 UNAVAILABLE. Migrations and verify:replay are exempt.
   */
  @IntSetting(100, 3_600_000)
  DATABASE_STATEMENT_TIMEOUT_MS = 10_000;

  /** Longest a request waits for a pooled connection to PostgreSQL, or to open a new one. */
  @IntSetting(100, 600_000)
  DATABASE_ACQUIRE_TIMEOUT_MS = 5000;

  /** Longest the server waits for a client's request headers (Node's default is 60 s). */
  @IntSetting(100, 600_000)
  HTTP_HEADERS_TIMEOUT_MS = 5000;

  /**
   * Longest the server waits for a client's whole request, body included; at least the headers
   * timeout. It ends with the request: slow or long responses (event streams) are not cut.
   */
  @IntSetting(100, 3_600_000)
  @Validate(NotBelow, ['HTTP_HEADERS_TIMEOUT_MS'])
  HTTP_REQUEST_TIMEOUT_MS = 10_000;

  /**
   * The shared secret node agents enrol with (`POST /v1/agent/enrol`); unset, no agent can enrol.
   * At least 16 characters: it is all that stands between a stranger and a place in the fleet.
   */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'CHIME_AGENT_JOIN_TOKEN must be at least 16 characters' })
  CHIME_AGENT_JOIN_TOKEN?: string;

  /** Seconds between two heartbeats of a node agent. */
  @IntSetting(1, 3600)
  CHIME_HEARTBEAT_INTERVAL = 15;

  /** Heartbeats a node may miss before it is unreachable (within interval × misses + 5 s). */
  @IntSetting(1, 100)
  CHIME_HEARTBEAT_MISSES = 3;

  /** Seconds a task for a node agent may run before it fails as timed out. */
  @IntSetting(1, 86_400)
  CHIME_TASK_TIMEOUT = 300;

  /** Seconds a console ticket (getVmVnc) stays good, unless redeemed first. */
  @IntSetting(5, 3_600)
  CHIME_VNC_TICKET_TTL = 60;

  /** Trust X-Forwarded-For from a reverse proxy when taking the client address. */
  @IsIn(['true', 'false'])
  TRUST_PROXY = 'false';

  /** True when CHIME_ADMIN_PASSWORD was not set and the bootstrap password is the default. */
  get usesDefaultAdminPassword(): boolean {
    return this.CHIME_ADMIN_PASSWORD === 'admin';
  }

  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): AppConfig {
    const known = Object.keys(new AppConfig()).concat('DATABASE_URL', 'CHIME_AGENT_JOIN_TOKEN');
    const given = Object.fromEntries(
      Object.entries(env).filter(([key, value]) => known.includes(key) && value !== undefined && value !== ''),
    );
    const config = plainToInstance(AppConfig, given);
    const errors = validateSync(config, { forbidUnknownValues: true });
    if (errors.length > 0) {
      const lines = errors.map(
        (e) => `  ${e.property}=${JSON.stringify(e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`,
      );
      throw new Error(`invalid configuration:\n${lines.join('\n')}`);
    }
    return config;
  }
}
