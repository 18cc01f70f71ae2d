import { plainToInstance, Transform } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateBy,
  validateSync,
} from 'class-validator';
import { IsIsoDuration } from '../common/validation/is-iso-duration.decorator';
import { IsTimeZone } from '../common/validation/is-time-zone.decorator';
import { isSendWindow } from '../common/time/send-window';
import { publicBaseUrlProblem } from './public-base-url';
import { trustProxyProblem } from './trust-proxy';
import { SIGNALS, WEIGHTS_PATTERN } from '../matching/match-weights';

/** The longest a talent-pool consent may run: the setting's cap, and that of a date recorded by hand. */
export const CONSENT_VALIDITY_MAX_MONTHS = 120;

export const SUPPORTED_LOCALES = ['sv', 'en'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const emptyToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** A setting checked by a function that says what is wrong with a value, or null: its words are the message. */
function HasNoProblem(variable: string, problemOf: (value: string) => string | null): PropertyDecorator {
  return ValidateBy({
    name: `valid${variable}`,
    validator: {
      validate: (value: unknown) => typeof value === 'string' && problemOf(value) === null,
      defaultMessage: (args) => `${variable} ${problemOf(String(args?.value))}`,
    },
  });
}

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

  @Transform(toInt) @IsInt() @Min(1) @Max(CONSENT_VALIDITY_MAX_MONTHS)
  CONSENT_VALIDITY_MONTHS = 12;

  @Matches(/^\d+(b|kb|mb)$/i, { message: 'BODY_LIMIT must look like 1mb, 512kb or 2048b' })
  BODY_LIMIT = '1mb';

  /**
   * Which proxies' X-Forwarded-For to believe for the client's address: empty (none), a number of proxies,
   * or addresses and subnets (trust-proxy.ts). Behind a proxy without it, every client is the proxy.
   */
  @HasNoProblem('TRUST_PROXY', trustProxyProblem)
  TRUST_PROXY = '';

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

  /**
   * Skill searches one instance runs at once; more wait their turn (first come, first served). A search is
   * CPU-bound in the database, so running more at once than the server has cores for only stretches each.
   */
  @Transform(toInt) @IsInt() @Min(1) @Max(200)
  SEARCH_CONCURRENCY = 3;

  /**
   * How long an instance may answer from memory for API keys and skill names (0: never). A change
   * anywhere reaches every instance at once (LISTEN/NOTIFY, src/database/table-changes.ts); this bounds
   * what is kept and how long.
   */
  @Transform(toInt) @IsInt() @Min(0) @Max(3600)
  LOOKUP_CACHE_SECONDS = 60;

  /** `true`: open the whole pool at start and prepare each connection (src/database/open-data-source.ts). */
  @IsIn(['true', 'false'])
  DATABASE_PREPARE_POOL: 'true' | 'false' = 'true';

  /** Signs candidate links and keys the suppression hashes; generated and stored in the database when unset. */
  @Transform(emptyToUndefined) @IsOptional() @IsString()
  @Matches(/^\S{32,}$/, { message: 'APP_SECRET must be at least 32 characters without spaces' })
  APP_SECRET?: string;

  /**
   * Where candidates' links point, e.g. https://talent.example.com, or https://jobs.example.com/talent behind a
   * reverse proxy that strips /talent before forwarding: links and the pages' forms carry the path (PublicUrls).
   */
  @HasNoProblem('PUBLIC_BASE_URL', publicBaseUrlProblem)
  PUBLIC_BASE_URL = 'http://localhost:3000';

  /** smtp:// or smtps:// URL; unset keeps emails in the outbox as `held`. */
  @Transform(emptyToUndefined) @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsString() @Length(3, 200)
  MAIL_FROM = 'Silverpool <no-reply@localhost>';

  /**
   * Where replies go (Reply-To): the emails to candidates invite them to reply. Unset, replies go to
   * MAIL_FROM, which must then be read by someone.
   */
  @Transform(emptyToUndefined) @IsOptional() @IsString() @Length(3, 200)
  @Matches(/^([^<>\r\n]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/, { message: 'MAIL_REPLY_TO must be an address, or a name and <address>' })
  MAIL_REPLY_TO?: string;

  /** The company name candidates see in emails. */
  @IsString() @Length(1, 100)
  COMPANY_NAME = 'Silverpool';

  /** `Mon-Fri 09:00-17:00` (in each candidate's time zone) or `always`. */
  @ValidateBy({ name: 'isSendWindow', validator: { validate: isSendWindow } }, {
    message: 'SEND_WINDOW must look like "Mon-Fri 09:00-17:00", the start before the end, or be "always"',
  })
  SEND_WINDOW = 'Mon-Fri 09:00-17:00';

  /** ISO-8601 duration: least time between two nurture emails to one candidate. */
  @IsIsoDuration()
  NURTURE_MIN_GAP = 'P14D';

  /** Outbound emails per second across all instances. */
  @Transform(toInt) @IsInt() @Min(1) @Max(10000)
  EMAIL_RATE_PER_SECOND = 20;

  /** How often each instance looks for due emails. */
  @Transform(toInt) @IsInt() @Min(50) @Max(60000)
  EMAIL_TICK_MS = 1000;

  @Transform(toInt) @IsInt() @Min(1) @Max(50)
  EMAIL_MAX_ATTEMPTS = 8;

  /** How often each instance enrols audiences and queues due nurture steps. */
  @Transform(toInt) @IsInt() @Min(100) @Max(3600000)
  CAMPAIGN_TICK_MS = 30000;

  /** `false` turns off this instance's scheduled work (API only). */
  @IsIn(['true', 'false'])
  SCHEDULER_ENABLED: 'true' | 'false' = 'true';

  /**
   * Hour of the day (0-23, in DEFAULT_TIME_ZONE, the organisation's zone) from
   * which the daily feedback digest goes out; it runs once per day across instances.
   */
  @Transform(toInt) @IsInt() @Min(0) @Max(23)
  FEEDBACK_DIGEST_HOUR = 8;

  /**
   * Days before talent-pool consent expires on which the candidate is asked
   * to renew it, comma-separated (each 1-365). Silence is not renewal.
   */
  @Matches(/^\s*(36[0-5]|3[0-5]\d|[12]\d\d|[1-9]\d?)\s*(,\s*(36[0-5]|3[0-5]\d|[12]\d\d|[1-9]\d?)\s*)*$/, {
    message: 'CONSENT_RENEWAL_DAYS must be a comma-separated list of days between 1 and 365, e.g. "30,7"',
  })
  CONSENT_RENEWAL_DAYS = '30,7';

  /** Days after pool consent expired or was withdrawn before the person is erased (unless in an active process). */
  @Transform(toInt) @IsInt() @Min(0) @Max(365)
  CONSENT_GRACE_DAYS = 30;

  /** Months after their last process ended before applicants who never joined the pool are erased. */
  @Transform(toInt) @IsInt() @Min(1) @Max(120)
  RETENTION_MONTHS = 24;

  /** Hour of the day (0-23, in DEFAULT_TIME_ZONE) from which the daily privacy job runs, once per day across instances. */
  @Transform(toInt) @IsInt() @Min(0) @Max(23)
  PRIVACY_JOB_HOUR = 8;

  /**
   * Who handles data-protection requests (access, erasure, rectification).
   * When set, their daily feedback digest also lists the open requests past
   * their one-month legal deadline; unset, nobody is reminded by email.
   */
  @Transform(emptyToUndefined) @IsOptional()
  @IsEmail({}, { message: 'PRIVACY_CONTACT_EMAIL must be an email address' })
  PRIVACY_CONTACT_EMAIL?: string;

  /**
   * Match scoring weights, `signal=points` pairs overriding the defaults
   * (skills=40,history=15,gapClosure=20,promise=10,recentContact=5,profileUpdate=5,location=5);
   * empty keeps them all. The README explains each one.
   */
  @Matches(new RegExp(`^\\s*$|${WEIGHTS_PATTERN.source}`), {
    message: `MATCH_WEIGHTS must be signal=points pairs (points 0-100), signals: ${SIGNALS.join(', ')}`,
  })
  MATCH_WEIGHTS = '';

  /** A new match at or above this score (and with every required skill) goes into the recruiter's digest. */
  @Transform(toInt) @IsInt() @Min(0) @Max(100)
  MATCH_STRONG_SCORE = 50;

  /** How many of the best candidates a run keeps as suggestions per vacancy (promises are always kept). */
  @Transform(toInt) @IsInt() @Min(1) @Max(500)
  MATCH_STORE_LIMIT = 50;

  /** Hour of the day (0-23, in DEFAULT_TIME_ZONE) from which open vacancies are matched again, once per day across instances. */
  @Transform(toInt) @IsInt() @Min(0) @Max(23)
  MATCH_HOUR = 2;

  /** Days a candidate who answered "not right now" on their profile page is left out of matching. */
  @Transform(toInt) @IsInt() @Min(1) @Max(730)
  MATCH_NOT_NOW_DAYS = 180;
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

