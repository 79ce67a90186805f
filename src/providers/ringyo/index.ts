export { RingyoClient, type RingyoApi, type RingyoClientOptions } from './client.js';
export { mapRingyoError, ringyoQuietMs } from './errors.js';
export { parseRingyoPage, parseRingyoPhoneNumberBody, RingyoParseError, type RingyoNext, type RingyoPage } from './parse.js';
export type * from './wire.js';
