import { Injectable, NestMiddleware } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import { Principal, Role } from '../../common/auth/roles';

/** Who did something: an API key (with its role), a candidate through their own link, or the system (a job). */
export type ActorRole = Role | 'candidate' | 'system';

export interface Actor {
  keyId: string | null;
  role: ActorRole;
  requestId: string | null;
}

export const SYSTEM_ACTOR: Actor = { keyId: null, role: 'system', requestId: null };

type ContextRequest = Request & { id?: string | number; principal?: Principal };

const storage = new AsyncLocalStorage<ContextRequest>();

/**
 * Keeps the request reachable for the rest of its handling, so the audit
 * log can name who acted (the API key the guard resolved) and the request
 * id (set by pino-http) without every service passing them along.
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    storage.run(req as ContextRequest, next);
  }
}

/**
 * The actor of the work in progress: the request's API key; with no key,
 * a public endpoint, and the only public endpoints that change data are
 * the candidates' own links; outside any request, the system.
 */
export function currentActor(): Actor {
  const request = storage.getStore();
  if (!request) return SYSTEM_ACTOR;
  const requestId = request.id === undefined ? null : String(request.id).slice(0, 100);
  if (request.principal) return { keyId: request.principal.keyId, role: request.principal.role, requestId };
  return { keyId: null, role: 'candidate', requestId };
}
