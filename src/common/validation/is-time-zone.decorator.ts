import { registerDecorator, ValidationOptions } from 'class-validator';
import { isValidTimeZone } from '../time/time-zone';

/** An IANA time zone name such as Europe/Stockholm. */
export function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be an IANA time zone such as Europe/Stockholm`, ...options },
      validator: {
        validate: isValidTimeZone,
      },
    });
}
