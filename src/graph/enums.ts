import type {
  AccountStatus,
  ExtensionStatus,
  ExtensionType,
  ForwardingFeature,
  ForwardingNumberType,
  RingCentralNumberFeature,
  RingCentralNumberStatus,
  RingCentralNumberType,
  RingCentralPaymentType,
  RingCentralUsageType,
  RingyoNumberStatus,
} from '../__generated__/resolvers-types.js';

/**
 * Provider values to schema enums. Providers add values without notice
 * (RingCentral's enums are explicitly open), so every translation has a
 * fallback rather than failing the whole field on a value it has not seen.
 */

/** `DirectNumber` → `DIRECT_NUMBER`, `A2PSmsSender` → `A2P_SMS_SENDER`. */
function screaming(value: string): string {
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toUpperCase();
}

function translate<T extends string>(value: string | undefined | null, known: readonly T[], fallback: T): T;
function translate<T extends string>(value: string | undefined | null, known: readonly T[]): T | null;
function translate<T extends string>(value: string | undefined | null, known: readonly T[], fallback?: T): T | null {
  if (!value) return fallback ?? null;
  const name = screaming(value) as T;
  return known.includes(name) ? name : (fallback ?? null);
}

const EXTENSION_TYPES: readonly ExtensionType[] = [
  'USER', 'DEPARTMENT', 'ANNOUNCEMENT', 'VOICEMAIL', 'DIGITAL_USER', 'VIRTUAL_USER', 'FAX_USER', 'PAGING_ONLY',
  'SHARED_LINES_GROUP', 'DELEGATED_LINES_GROUP', 'GROUP_CALL_PICKUP', 'IVR_MENU', 'APPLICATION_EXTENSION', 'PROXY_ADMIN',
  'ROOM_CONNECTOR', 'PARK_LOCATION', 'LIMITED', 'BOT', 'SITE', 'ROOM', 'FLEXIBLE_USER', 'TIE_LINE', 'UNKNOWN',
];
const EXTENSION_STATUSES: readonly ExtensionStatus[] = ['ENABLED', 'DISABLED', 'FROZEN', 'NOT_ACTIVATED', 'UNASSIGNED'];
const USAGE_TYPES: readonly RingCentralUsageType[] = [
  'MAIN_COMPANY_NUMBER', 'ADDITIONAL_COMPANY_NUMBER', 'COMPANY_NUMBER', 'DIRECT_NUMBER', 'COMPANY_FAX_NUMBER', 'FORWARDED_NUMBER',
  'FORWARDED_COMPANY_NUMBER', 'CONTACT_CENTER_NUMBER', 'CONFERENCING_NUMBER', 'MEETINGS_NUMBER', 'BUSINESS_MOBILE_NUMBER', 'ELIN',
  'INTEGRATION_NUMBER', 'INVENTORY', 'PHONE_LINE', 'OTHER',
];
const PAYMENT_TYPES: readonly RingCentralPaymentType[] = ['EXTERNAL', 'TOLL_FREE', 'LOCAL', 'MOBILE', 'OTHER'];
const NUMBER_TYPES: readonly RingCentralNumberType[] = ['VOICE_FAX', 'VOICE_ONLY', 'FAX_ONLY'];
const NUMBER_STATUSES: readonly RingCentralNumberStatus[] = ['NORMAL', 'PENDING', 'PORTED_IN', 'TEMPORARY', 'UNKNOWN'];
const NUMBER_FEATURES: readonly RingCentralNumberFeature[] = ['CALLER_ID', 'SMS_SENDER', 'A2P_SMS_SENDER', 'MMS_SENDER', 'INTERNATIONAL_SMS_SENDER', 'DELEGATED'];
const FORWARDING_TYPES: readonly ForwardingNumberType[] = ['HOME', 'MOBILE', 'WORK', 'PHONE_LINE', 'OUTAGE', 'OTHER', 'BUSINESS_MOBILE_PHONE', 'EXTENSION_APPS'];
const FORWARDING_FEATURES: readonly ForwardingFeature[] = ['CALL_FLIP', 'CALL_FORWARDING'];
const ACCOUNT_STATUSES: readonly AccountStatus[] = ['INITIAL', 'UNCONFIRMED', 'CONFIRMED', 'DISABLED'];
const RINGYO_STATUSES: readonly RingyoNumberStatus[] = ['ACTIVE', 'PENDING', 'INACTIVE'];

export const extensionType = (v: string | undefined): ExtensionType => translate(v, EXTENSION_TYPES, 'UNKNOWN');
/** An extension with no status is treated as not activated, the cautious reading. */
export const extensionStatus = (v: string | undefined): ExtensionStatus => translate(v, EXTENSION_STATUSES, 'NOT_ACTIVATED');
export const usageType = (v: string | undefined): RingCentralUsageType => translate(v, USAGE_TYPES, 'OTHER');
export const paymentType = (v: string | undefined): RingCentralPaymentType | null =>
  v ? translate(v, PAYMENT_TYPES, v.startsWith('ExternalNumberProvider') ? 'EXTERNAL' : 'OTHER') : null;
export const numberType = (v: string | undefined): RingCentralNumberType | null => translate(v, NUMBER_TYPES);
export const numberStatus = (v: string | undefined): RingCentralNumberStatus | null => (v ? translate(v, NUMBER_STATUSES, 'UNKNOWN') : null);
/** Unknown features are left out rather than guessed. */
export const numberFeatures = (values: readonly string[]): RingCentralNumberFeature[] =>
  values.map((v) => translate(v, NUMBER_FEATURES)).filter((v): v is RingCentralNumberFeature => v !== null);
export const forwardingType = (v: string | undefined): ForwardingNumberType | null => (v ? translate(v, FORWARDING_TYPES, 'OTHER') : null);
export const forwardingFeatures = (values: readonly string[]): ForwardingFeature[] =>
  values.map((v) => translate(v, FORWARDING_FEATURES)).filter((v): v is ForwardingFeature => v !== null);
export const accountStatus = (v: string | undefined): AccountStatus => translate(v, ACCOUNT_STATUSES, 'INITIAL');
/** Ringyo documents three statuses; anything else is not taking calls. */
export const ringyoStatus = (v: string): RingyoNumberStatus => translate(v, RINGYO_STATUSES, 'INACTIVE');
