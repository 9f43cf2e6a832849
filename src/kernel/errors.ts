/**
 * The one catalogue of coded errors. Each code has its HTTP status and a message key in the
 * locale files (`errors.<CODE>`); the error page and the JSON API show that message and never a
 * stack trace.
 */
export const errorCatalogue = {
  NOT_FOUND: 404,
  VALIDATION_FAILED: 422,
  BAD_REQUEST: 400,
  // NUL and other C0 control characters in any text of a request (src/http/input-rule.ts).
  INPUT_CONTROL_CHARS: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CSRF_INVALID: 403,
  LOGIN_THROTTLED: 429,
  PAYLOAD_TOO_LARGE: 413,
  CONFLICT: 409,
  UNIT_CODE_TAKEN: 422,
  UNIT_MOVE_INTO_OWN_SUBTREE: 422,
  UNIT_MERGE_INTO_SELF: 422,
  UNIT_MERGE_INVALID: 422,
  USERNAME_TAKEN: 422,
  ROLE_INVALID: 422,
  LAST_ADMIN: 422,
  SETUP_CLOSED: 404,
  PASSWORD_WRONG: 422,
  TOKEN_INVALID: 401,
  TOKEN_THROTTLED: 429,
  // Catalog: procedures, their lifecycle and Excel.
  STALE_EDIT: 409,
  TTHC_CODE_TAKEN: 422,
  TTHC_OTHER_PROVINCE: 422,
  PROCEDURE_CODE_TAKEN: 422,
  PROCEDURE_WRONG_STATE: 409,
  PROCEDURE_NO_STEPS: 422,
  PROCEDURE_INCOMPLETE: 422,
  PROCEDURE_CHANGE_SUMMARY: 422,
  PROCEDURE_NOT_REVIEWED: 422,
  PROCEDURE_APPROVE_LEADER: 403,
  PROCEDURE_SELF_REVIEW: 403,
  TEMPLATE_ALREADY_ADOPTED: 422,
  TEMPLATE_UP_TO_DATE: 409,
  UPLOAD_MISSING: 422,
  UPLOAD_TOO_LARGE: 413,
  UPLOAD_MALFORMED: 400,
  UPLOAD_FILE_TYPE: 422,
  IMPORT_NOT_XLSX: 415,
  IMPORT_CORRUPT: 422,
  IMPORT_EMPTY: 422,
  IMPORT_SHEET_MISSING: 422,
  IMPORT_HEADERS: 422,
  IMPORT_ROWS: 422,
  // A table import that also reads CSV and tab-separated text (the TTHC list).
  IMPORT_NOT_TABLE: 415,
  IMPORT_ENCODING: 422,
  // A previewed import applied after its token expired (or by someone else).
  IMPORT_EXPIRED: 422,
  // The bounded Excel reader (src/kernel/excel): a file past one of its limits.
  IMPORT_TOO_BIG: 422,
  IMPORT_DIMENSION: 422,
  IMPORT_TOO_MANY_ROWS: 422,
  IMPORT_TOO_MANY_COLUMNS: 422,
  IMPORT_TOO_MANY_CELLS: 422,
  IMPORT_TOO_COMPLEX: 422,
  // Checks: plan, answers, submit.
  CHECK_LOCKED: 409,
  CHECK_INCOMPLETE: 422,
  // Checks: sign-off and its states.
  CHECK_NOT_SUBMITTED: 409,
  CHECK_SIGNED: 409,
  CHECK_NOT_STARTED: 409,
  // Corrective actions, management reviews, audit programme.
  ACTION_WRONG_STATE: 409,
  ACTION_SELF_VERIFY: 403,
  ACTION_NOT_OWNER: 403,
  FINDING_CLOSED: 409,
  FINDING_ACTIONS_UNVERIFIED: 422,
  REVIEW_FINAL: 409,
  // Inspections: teams, plans, records.
  INSPECTION_WRONG_STATE: 409,
  INSPECTION_UNMARKED: 422,
  OFFICIAL_DUPLICATE: 422,
  CORRECTION_WRONG_STATE: 409,
  INSPECTION_FILE_TYPE: 422,
  INSPECTION_FILE_TOO_LARGE: 422,
  // Documents drafted from the data.
  DOCUMENT_WRONG_STATE: 409,
  DOCUMENT_NOT_APPROVED: 409,
  DOCUMENT_NOT_ISSUED: 409,
  DOCUMENT_NUMBER_TAKEN: 422,
  DOCUMENT_REFUSED: 422,
  DOCUMENT_GLYPHS: 422,
  DOCUMENT_PRECONDITIONS: 422,
  DOCUMENT_OVERRIDE_LEADER: 422,
  // Dashboards and on-time figures.
  ONTIME_OVERLAP: 422,
  ONTIME_SUM: 422,
  DB_UNAVAILABLE: 503,
  INTERNAL: 500,
  // Satisfaction surveys (the public pages).
  SURVEY_DOSSIER_TAKEN: 422,
  SURVEY_THROTTLED: 429,
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

/** Per-field problems: field name -> message key (with optional params). */
export type FieldErrors = Record<string, { key: string; params?: Record<string, string | number> }>;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
    readonly fields?: FieldErrors,
  ) {
    super(code);
    this.status = errorCatalogue[code];
  }
}
