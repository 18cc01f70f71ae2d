import Handlebars from 'handlebars';
import { DateTime } from 'luxon';
import { Locale } from '../config/app-config';

/** The values every helper can read from `@data`; set by the compiler for each render. */
export interface RenderSettings {
  locale: Locale;
  timeZone: string;
}

/** Block helpers Handlebars ships; everything else it ships (lookup, log) stays off. */
export const BLOCK_HELPERS = ['if', 'unless', 'each', 'with'] as const;
/** Our own helpers, the only ones registered. */
export const INLINE_HELPERS = ['formatDate', 'list'] as const;

/**
 * strict: a missing field in `{{x}}` throws instead of printing nothing.
 * knownHelpersOnly: an unknown helper is a compile error, not a runtime lookup.
 * Prototype access stays at the Handlebars 4.7 default (denied).
 */
export const COMPILE_OPTIONS = {
  strict: true,
  knownHelpersOnly: true,
  knownHelpers: { formatDate: true, list: true, lookup: false, log: false },
} satisfies CompileOptions;

/** British English reads naturally to a Swedish company's international candidates. */
const INTL_LOCALE: Record<Locale, string> = { sv: 'sv-SE', en: 'en-GB' };

interface HelperOptions {
  data: { root: unknown } & Partial<RenderSettings>;
}

function settingsOf(options: HelperOptions): RenderSettings {
  const { locale, timeZone } = options.data;
  if (!locale || !timeZone) throw new Error('render settings missing');
  return { locale, timeZone };
}

/**
 * `{{formatDate decisionDate}}`: a date ("2026-03-20") or an instant, as a
 * long date with weekday in the reader's language and time zone.
 */
function formatDate(...args: unknown[]): string {
  if (args.length !== 2) throw new Error('formatDate takes exactly one value: {{formatDate someDate}}');
  const [value, options] = args as [unknown, HelperOptions];
  const { locale, timeZone } = settingsOf(options);
  const date =
    value instanceof Date ? DateTime.fromJSDate(value, { zone: timeZone })
    : typeof value === 'string' ? DateTime.fromISO(value, { zone: timeZone })
    : null;
  if (!date?.isValid) throw new Error(`formatDate needs an ISO 8601 date, got ${JSON.stringify(value)}`);
  return date
    .setLocale(INTL_LOCALE[locale])
    .toLocaleString({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
}

/** `{{list gapSkills}}`: "Kafka, Go and SQL" / "Kafka, Go och SQL". */
function list(...args: unknown[]): string {
  if (args.length !== 2) throw new Error('list takes exactly one array: {{list someItems}}');
  const [value, options] = args as [unknown, HelperOptions];
  if (!Array.isArray(value)) throw new Error(`list needs an array, got ${JSON.stringify(value)}`);
  const { locale } = settingsOf(options);
  return new Intl.ListFormat(INTL_LOCALE[locale], { style: 'long', type: 'conjunction' }).format(value.map(String));
}

type HandlebarsEnvironment = typeof Handlebars;
type CompileOptions = Parameters<HandlebarsEnvironment['compile']>[1] & object;

/**
 * A dedicated Handlebars instance (nothing registered globally can leak in)
 * with only our helpers. `lookup` and `log` are removed as well as marked
 * unknown, so a template cannot reach them even through a future option.
 */
export function createHandlebarsEnvironment(): HandlebarsEnvironment {
  const environment = Handlebars.create();
  environment.unregisterHelper('lookup');
  environment.unregisterHelper('log');
  environment.registerHelper({ formatDate, list });
  return environment;
}
