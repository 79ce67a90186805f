export {
  RingCentralClient,
  RINGCENTRAL_BATCH_LIMIT,
  type RingCentralApi,
  type RingCentralClientOptions,
  type ExtensionFilter,
  type AccountPhoneNumberFilter,
  type PhoneNumberV2Filter,
  type ExtensionPhoneNumberFilter,
  type PhoneNumberLookup,
} from './client.js';
export type { RingCentralCredentials } from './auth.js';
export { mapError, isExpiredToken } from './errors.js';
export type * from './wire.js';
