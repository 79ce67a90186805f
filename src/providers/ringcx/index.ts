export { RingCxClient, type RingCxApi, type RingCxClientOptions } from './client.js';
export type { RingCxAuthOptions } from './auth.js';
export { mapRingCxError, isRingCxExpiredToken } from './errors.js';
export { parseDnisSearchResult, parseTnManagerSearchPage, parseRcxDate } from './parse.js';
export type * from './wire.js';
