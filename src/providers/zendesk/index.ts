export { ZendeskClient, type ZendeskApi, type ZendeskClientOptions } from './client.js';
export { mapZendeskError } from './errors.js';
export { zendeskE164 } from './normalize.js';
export { parseListPage, parsePhoneNumber, ZendeskParseError, type ListPage, type NextPage } from './parse.js';
export type * from './wire.js';
