import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';
import { IsTimeZone } from '../common/validation/is-time-zone.decorator';

export const SUPPORTED_LOCALES = ['sv', 'en'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const emptyToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * Every setting the service reads, validated once at start-up. The property
 * names are the environment variable names so an error names what to fix.
 */
export class AppConfig {
  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @Transform(emptyToUndefined) @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  /** Where the embedded PostgreSQL keeps its files when DATABASE_URL is unset. */
  @IsString()
  DATA_DIR = './data';

  @Transform(emptyToUndefined) @IsOptional() @IsString()
  @Matches(/^\S{24,}$/, { message: 'ADMIN_API_KEY must be at least 24 characters without spaces' })
  ADMIN_API_KEY?: string;

  @IsTimeZone()
  DEFAULT_TIME_ZONE = 'Europe/Stockholm';

  @IsIn(SUPPORTED_LOCALES)
  DEFAULT_LOCALE: Locale = 'en';

  @Transform(toInt) @IsInt() @Min(1) @Max(120)
  CONSENT_VALIDITY_MONTHS = 12;

  @Matches(/^\d+(b|kb|mb)$/i, { message: 'BODY_LIMIT must look like 1mb, 512kb or 2048b' })
  BODY_LIMIT = '1mb';

  /** Requests per client per minute; 0 turns rate limiting off. */
  @Transform(toInt) @IsInt() @Min(0)
  RATE_LIMIT_PER_MINUTE = 1200;

  /** Comma-separated allowed origins; empty means CORS is off. */
  @IsString()
  CORS_ORIGINS = '';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(toInt) @IsInt() @Min(1) @Max(200)
  DATABASE_POOL_SIZE = 10;
}

export class ConfigError extends Error {}

/** Validates the environment; throws one line naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new AppConfig());
  const source: Record<string, unknown> = {};
  for (const key of [...known, 'DATABASE_URL', 'ADMIN_API_KEY']) {
    if (env[key] !== undefined) source[key] = env[key];
  }
  const config = plainToInstance(AppConfig, source, { exposeDefaultValues: true });
  const errors = validateSync(config, { forbidUnknownValues: false });
  if (errors.length > 0) {
    const first = errors[0];
    const reason = Object.values(first.constraints ?? {})[0] ?? 'is invalid';
    throw new ConfigError(
      `Invalid configuration: ${first.property}=${JSON.stringify(first.value)} (${reason})`,
    );
  }
  return config;
}

