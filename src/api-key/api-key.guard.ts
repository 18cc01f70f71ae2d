import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { IS_PUBLIC, Principal, REQUIRED_ROLE, Role, roleAllows } from '../common/auth/roles';
import { DomainError } from '../common/errors/domain-error';
import { ApiKeyService } from './api-key.service';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Global guard: every endpoint needs a key unless marked @Public(). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    const principal = match ? await this.apiKeys.authenticate(match[1]) : null;
    if (!principal) {
      throw new DomainError('Unauthenticated', 'Send an API key as "Authorization: Bearer <key>".');
    }
    const required =
      this.reflector.getAllAndOverride<Role>(REQUIRED_ROLE, targets) ??
      (READ_METHODS.has(request.method) ? 'viewer' : 'recruiter');
    if (!roleAllows(principal.role, required)) {
      throw new DomainError('Forbidden', `This endpoint needs the ${required} role; the key has ${principal.role}.`);
    }
    request.principal = principal;
    return true;
  }
}
