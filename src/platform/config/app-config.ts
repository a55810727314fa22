import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;

/**
 * Every setting the server reads, from the environment (API.md §7). Validated once at start;
 * a bad value stops the process with a message naming the variable.
 */
export class AppConfig {
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
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
  @Transform(toInt)
  @IsInt()
  @Min(1)
  CHIME_TOKEN_TTL = 12 * 3600;

  /** Failed logins allowed per user name within the window (five times as many per client address). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  CHIME_LOGIN_MAX_FAILURES = 10;

  /** Window for counting failed logins, in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  CHIME_LOGIN_FAILURE_WINDOW = 300;

  /** Event streams (GET /v1/event/stream) one user may hold open at once. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  CHIME_MAX_STREAMS_PER_USER = 5;

  /** Event streams open at once on this process, all users together. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  CHIME_MAX_STREAMS = 200;

  /** Seconds between heartbeat comments on an open event stream, so proxies and clients see it alive. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  CHIME_STREAM_HEARTBEAT = 15;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Connections kept open to a PostgreSQL server (the embedded database always uses one). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  /** Trust X-Forwarded-For from a reverse proxy when taking the client address. */
  @IsIn(['true', 'false'])
  TRUST_PROXY = 'false';

  /** True when CHIME_ADMIN_PASSWORD was not set and the bootstrap password is the default. */
  get usesDefaultAdminPassword(): boolean {
    return this.CHIME_ADMIN_PASSWORD === 'admin';
  }

  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): AppConfig {
    const known = Object.keys(new AppConfig()).concat('DATABASE_URL');
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
