import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { isISO31661Alpha2, ValidateBy } from 'class-validator';

/** Kosovo: not in ISO 3166-1, but the code everyone (the EU, banks, Unicode's CLDR) uses for it. */
const USER_ASSIGNED_IN_USE = new Set(['XK']);

/**
 * An ISO 3166-1 alpha-2 country code in any case, kept upper-case. Only
 * assigned codes (and XK): "UK", "EU" or "XX" would be stored as given, and a
 * search for GB would never find those people.
 */
export function IsCountryCode(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value)),
    ValidateBy({
      name: 'isCountryCode',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && (isISO31661Alpha2(value) || USER_ASSIGNED_IN_USE.has(value)),
        defaultMessage: () => 'country must be an ISO 3166-1 alpha-2 code such as SE (GB for the United Kingdom)',
      },
    }),
  );
}
