import type { OpenAPIObject } from '@nestjs/swagger';

type Operation = { parameters?: unknown[]; requestBody?: unknown; responses: Record<string, { description: string; content?: object }> };

/** The one error shape (ProblemDetailsFilter), as the document describes it. */
const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', example: 'urn:silverpool:problem:validation-failed' },
    title: { type: 'string' },
    status: { type: 'integer', example: 400 },
    detail: { type: 'string' },
    code: { type: 'string', example: 'ValidationFailed' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      description: 'For invalid input: each offending field and what is wrong with it',
      items: { type: 'object', properties: { field: { type: 'string' }, messages: { type: 'array', items: { type: 'string' } } } },
    },
  },
};

const PROBLEM_CONTENT = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

/**
 * Every error response in the document as what it is: the problem+json body, and a 400 on every operation
 * that takes input (the ValidationPipe answers any of them so), where each controller declared only the
 * errors particular to it. Done once on the document rather than as a decorator on ~30 handlers.
 */
export function describeProblems(document: OpenAPIObject): OpenAPIObject {
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA } };
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations as Record<string, Operation>)) {
      if (typeof operation !== 'object' || !operation.responses) continue;
      if ((operation.requestBody || operation.parameters?.length) && !operation.responses['400']) {
        operation.responses['400'] = { description: 'Invalid input: `errors` names each field' };
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) >= 400 && !response.content) response.content = PROBLEM_CONTENT;
      }
    }
  }
  return document;
}
