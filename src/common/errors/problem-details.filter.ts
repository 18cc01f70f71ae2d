import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { DomainError } from './domain-error';
import { ErrorCode } from './error-codes';
import { isPoolExhausted, isRetryableConflict } from './postgres-errors';
import { problemFor, ProblemDetails, sendProblem } from './problem-details';
import { safeErrorLog } from './safe-error-log';

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'ValidationFailed',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'NotFound',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
  429: 'TooManyRequests',
  503: 'ServiceUnavailable',
};

/** The one place where any error becomes an HTTP response (application/problem+json). */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    if (response.headersSent) return;
    sendProblem(request, response, this.toProblem(exception));
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof DomainError) {
      return problemFor(exception.code, exception.detail, exception.extra);
    }
    if (exception instanceof ThrottlerException) {
      return problemFor('TooManyRequests', 'Rate limit exceeded; retry later.');
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = STATUS_CODES[status];
      if (code) return { ...problemFor(code, exception.message), status };
      return {
        ...problemFor('Internal', exception.message),
        status,
        title: exception.name,
      };
    }
    if (isRetryableConflict(exception)) {
      this.logger.warn(safeErrorLog(exception), 'Transaction aborted by a concurrent one');
      // Most requests are one transaction and nothing of them stays; a few commit in steps (the profile page,
      // closing a vacancy), so the answer does not promise more than that.
      return problemFor('ServiceUnavailable', 'A concurrent change to the same data made the database abort this request (the aborted step saved nothing). Retry it.');
    }
    if (isPoolExhausted(exception)) {
      this.logger.error(safeErrorLog(exception), 'No database connection came free in time');
      return problemFor('ServiceUnavailable', 'The service is too busy to reach its database right now. Retry shortly.');
    }
    this.logger.error(safeErrorLog(exception), 'Unhandled error');
    return problemFor('Internal', 'Something went wrong on our side. The request id identifies it in our logs.');
  }
}
