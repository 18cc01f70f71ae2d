/** The bulk import's route: the body parsers leave its upload to it (common/http/body-parsers.module.ts). */
export const IMPORT_ROUTE = 'api/v1/candidates/import';
