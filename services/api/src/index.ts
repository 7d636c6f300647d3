export { type ApiConfig, type ApiSettings, API_DEFAULTS, loadApiConfig } from './config.js';
export { QueryRunner, QueryTimeoutError } from './db.js';
export { openApiDocument } from './openapi.js';
export { type RunApiOptions, runApi } from './run.js';
export { type ApiHandle, type ApiOptions, startApi } from './server.js';
export {
  bearerToken,
  hashToken,
  loadTokensFile,
  parseTokens,
  type Principal,
  ROLES,
  type Role,
  type TokenEntry,
  TokensFileError,
  TokenStore,
} from './tokens.js';
