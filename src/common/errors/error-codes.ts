/** Every domain error code and the HTTP status it maps to: the one place that decides. */
export const ERROR_CODES = {
  ValidationFailed: { status: 400, title: 'The request is not valid' },
  InvalidCursor: { status: 400, title: 'The pagination cursor is not valid' },
  MalformedBody: { status: 400, title: 'The request body is not valid JSON' },
  Unauthenticated: { status: 401, title: 'A valid API key is required' },
  Forbidden: { status: 403, title: 'This API key may not do that' },
  NotFound: { status: 404, title: 'No such resource' },
  CandidateNotFound: { status: 404, title: 'Candidate not found' },
  ApiKeyNotFound: { status: 404, title: 'API key not found' },
  SkillAliasNotFound: { status: 404, title: 'Skill alias not found' },
  CandidateEmailTaken: { status: 409, title: 'A candidate with this email already exists' },
  SkillAliasConflict: { status: 409, title: 'The alias is a canonical skill name' },
  PayloadTooLarge: { status: 413, title: 'The request body is too large' },
  UnsupportedMediaType: { status: 415, title: 'Unsupported content type' },
  TooManyRequests: { status: 429, title: 'Too many requests' },
  Internal: { status: 500, title: 'Internal error' },
  ServiceUnavailable: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
