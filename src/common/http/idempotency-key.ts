import { applyDecorators, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { DomainError } from '../errors/domain-error';

/** The request header (IETF draft-ietf-httpapi-idempotency-key-header). */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** Set on an answer repeated for a request already carried out under its key. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

const VALID_KEY = /^[\x21-\x7e]{1,255}$/;

/** The header's value, checked: 1-255 visible ASCII characters (a UUID is the usual choice). */
function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !VALID_KEY.test(header)) {
    throw DomainError.field(IDEMPOTENCY_KEY_HEADER, `${IDEMPOTENCY_KEY_HEADER} must be one value of 1-255 visible ASCII characters, such as a UUID`);
  }
  return header;
}

/** A digest of a request body that does not depend on the order of its fields. */
export function requestFingerprint(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body, (_key, value: unknown) => sortedKeys(value))).digest('base64url');
}

function sortedKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The checked Idempotency-Key of the request, or undefined when it has none. */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  idempotencyKeyOf(context.switchToHttp().getRequest<Request>().headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()]));

/** OpenAPI: the header, and the answer to a key reused for another request. */
export function AcceptsIdempotencyKey(what: string): MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: IDEMPOTENCY_KEY_HEADER,
      required: false,
      description:
        `A key of the client's choosing (1-255 visible ASCII characters, e.g. a UUID). The same request sent again with the same key ` +
        `${what} once: the repeat answers as the first did, with \`${IDEMPOTENT_REPLAYED_HEADER}: true\`.`,
    }),
    ApiResponse({ status: 422, description: `The ${IDEMPOTENCY_KEY_HEADER} was used before for a different request` }),
  );
}
