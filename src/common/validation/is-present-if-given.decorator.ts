import { ValidateIf, ValidationOptions } from 'class-validator';

/**
 * For PATCH fields the stored row cannot leave empty: leaving the field out
 * keeps the value, but null is validated (and refused) like any other value.
 * IsOptional would let null through to a NOT NULL column.
 */
export function IsPresentIfGiven(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined, options);
}
