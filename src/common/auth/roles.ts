import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';

export const ROLES = ['viewer', 'recruiter', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const IS_PUBLIC = 'silverpool:public';
export const REQUIRED_ROLE = 'silverpool:role';

/** Each role can do everything the roles before it can. */
export function roleAllows(held: Role, required: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(required);
}

/** No API key needed (health, docs, the candidates' own links). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * The least role an endpoint needs. Without it, reads need `viewer` and
 * writes need `recruiter`.
 */
export const RequireRole = (role: Role) =>
  applyDecorators(SetMetadata(REQUIRED_ROLE, role), ApiForbiddenResponse({ description: `Needs the ${role} role` }));

export const ApiKeyAuth = () =>
  applyDecorators(ApiBearerAuth(), ApiUnauthorizedResponse({ description: 'Missing or unknown API key' }));

export interface Principal {
  keyId: string;
  role: Role;
}

export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<{ principal: Principal }>().principal,
);
