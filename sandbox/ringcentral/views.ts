import type { AccountRecord, ExtensionRecord, ForwardingNumberRecord, PhoneNumberRecord } from './model.js';

/**
 * Renders records as RingCentral's wire shapes. v1 resources carry ids as
 * JSON numbers (`int64`) and canonical `uri`s; v2 resources carry ids as
 * strings and no uris: the client must cope with both, as with the real API.
 */
export class Views {
  constructor(
    /** `http://host:port` the request came in on, so uris point back at this sandbox. */
    readonly origin: string,
    private readonly accountId: string,
  ) {}

  get accountUri(): string {
    return `${this.origin}/restapi/v1.0/account/${this.accountId}`;
  }

  extensionUri(id: string): string {
    return `${this.accountUri}/extension/${id}`;
  }

  account(account: AccountRecord, operator: ExtensionRecord): Record<string, unknown> {
    return {
      uri: this.accountUri,
      id: Number(account.id),
      bsid: `bs-${account.id}`,
      mainNumber: account.mainNumber,
      operator: { uri: this.extensionUri(operator.id), id: Number(operator.id), extensionNumber: operator.extensionNumber },
      serviceInfo: {
        uri: `${this.accountUri}/service-info`,
        billingPlan: { id: '29426', name: 'Monthly-109.98-Advanced 5', durationUnit: 'Month', duration: 1, type: 'Regular', includedPhoneLines: 5 },
        brand: { id: '1210', name: 'RingCentral', homeCountry: US_COUNTRY(this.origin) },
        servicePlan: { id: '19427', name: 'RingEX Advanced', edition: 'Advanced' },
        targetServicePlan: { id: '19427', name: 'RingEX Advanced', edition: 'Advanced' },
        contractedCountry: US_COUNTRY(this.origin),
        uBrand: { id: '1210', name: 'RingCentral' },
      },
      setupWizardState: 'Completed',
      signupInfo: {
        tosAccepted: true,
        signupState: ['AccountCreated', 'BillingEntered', 'CreditCardApproved', 'AccountConfirmed'],
        marketingAccepted: false,
        creationTime: account.creationTime,
      },
      status: 'Confirmed',
      regionalSettings: {
        homeCountry: US_COUNTRY(this.origin),
        timezone: { uri: `${this.origin}/restapi/v1.0/dictionary/timezone/58`, id: '58', name: 'US/Pacific', description: 'Pacific Time (US & Canada)', bias: '-480' },
        language: { id: '1033', localeCode: 'en-US', name: 'English (United States)' },
        greetingLanguage: { id: '1033', localeCode: 'en-US', name: 'English (United States)' },
        formattingLocale: { id: '1033', localeCode: 'en-US', name: 'English (United States)' },
        timeFormat: '12h',
        currency: { id: 1, code: 'USD', name: 'US Dollar', symbol: '$', minorSymbol: '¢' },
      },
      federated: false,
      limits: {
        freeSoftPhoneLinesPerExtension: 1,
        meetingSize: 100,
        cloudRecordingStorage: 10,
        maxMonitoredExtensionsPerUser: 100,
        maxExtensionNumberLength: 5,
        siteCodeLength: 0,
        shortExtensionNumberLength: 5,
      },
    };
  }

  /** `GetExtensionListInfoResponse`. */
  extensionSummary(extension: ExtensionRecord): Record<string, unknown> {
    const out: Record<string, unknown> = {
      uri: this.extensionUri(extension.id),
      id: Number(extension.id),
      extensionNumber: extension.extensionNumber,
      name: extension.name,
      type: extension.type,
      status: extension.status,
      contact: { ...extension.contact, ...(extension.type === 'User' && { emailAsLoginName: true }) },
      permissions: { admin: { enabled: extension.admin }, internationalCalling: { enabled: extension.internationalCalling } },
      profileImage: { uri: `${this.extensionUri(extension.id)}/profile-image` },
      creationTime: extension.creationTime,
    };
    if (extension.type === 'User') {
      out.hidden = extension.hidden ?? false;
      out.assignedCountry = { id: '1', uri: `${this.origin}/restapi/v1.0/dictionary/country/1`, isoCode: 'US', name: 'United States' };
    }
    if (extension.callQueueInfo) out.callQueueInfo = extension.callQueueInfo;
    return out;
  }

  /** `GetExtensionInfoResponse`: the summary plus account, regional settings and (own extension only) service features. */
  extension(extension: ExtensionRecord, own: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {
      ...this.extensionSummary(extension),
      account: { id: this.accountId, uri: this.accountUri },
      regionalSettings: {
        homeCountry: US_COUNTRY(this.origin),
        timezone: { uri: `${this.origin}/restapi/v1.0/dictionary/timezone/58`, id: '58', name: 'US/Pacific', description: 'Pacific Time (US & Canada)', bias: '-480' },
        language: { id: '1033', localeCode: 'en-US', name: 'English (United States)' },
        greetingLanguage: { id: '1033', localeCode: 'en-US', name: 'English (United States)' },
        formattingLocale: { id: '1033', localeCode: 'en-US', name: 'English (United States)' },
        timeFormat: '12h',
      },
      setupWizardState: extension.status === 'NotActivated' ? 'NotStarted' : 'Completed',
    };
    if (extension.statusInfo) out.statusInfo = extension.statusInfo;
    if (own) {
      out.serviceFeatures = [
        { featureName: 'CallForwarding', enabled: true },
        { featureName: 'SMS', enabled: true },
        { featureName: 'Fax', enabled: true },
        { featureName: 'InternationalCalling', enabled: extension.internationalCalling, ...(!extension.internationalCalling && { reason: 'ExtensionLimitation' }) },
        { featureName: 'UserManagement', enabled: extension.admin },
      ];
    }
    return out;
  }

  /** `CompanyPhoneNumberInfo` (v1 account list and by-id GET). */
  companyNumber(number: PhoneNumberRecord, owner: ExtensionRecord | undefined): Record<string, unknown> {
    const out = this.v1Core(number);
    out.uri = `${this.accountUri}/phone-number/${number.id}`;
    if (owner) {
      out.extension = { uri: this.extensionUri(owner.id), id: Number(owner.id), extensionNumber: owner.extensionNumber, name: owner.name };
    }
    return out;
  }

  /** `UserPhoneNumberInfo` in `extension`'s own list; only its direct numbers name it as their extension. */
  userNumber(number: PhoneNumberRecord, extension: ExtensionRecord): Record<string, unknown> {
    const { activationStatus: _notInThisModel, ...out } = this.v1Core(number);
    out.uri = `${this.extensionUri(extension.id)}/phone-number/${number.id}`;
    out.country = COUNTRIES[number.country](this.origin);
    out.features = features(number, extension);
    if (number.usageType === 'DirectNumber') {
      out.extension = {
        uri: this.extensionUri(extension.id),
        id: Number(extension.id),
        extensionNumber: extension.extensionNumber,
        name: extension.name,
        type: extension.type,
      };
    }
    return out;
  }

  /** `AccountPhoneNumberInfo` (v2). */
  accountNumber(number: PhoneNumberRecord, owner: ExtensionRecord | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {
      id: number.id,
      phoneNumber: number.phoneNumber,
      tollType: number.tollFree ? 'TollFree' : 'Toll',
      usageType: number.usageType,
      status: number.status,
      byocNumber: false,
      activationStatus: 'Active',
    };
    // Inventory numbers have no type until they are put to use (spec example).
    if (number.usageType !== 'Inventory') out.type = number.type;
    if (number.label) out.label = number.label;
    if (number.usageType === 'DirectNumber') out.primary = number.primary;
    if (owner && number.usageType === 'DirectNumber') out.extension = { id: owner.id, extensionNumber: owner.extensionNumber };
    if (number.contactCenterProvider) out.contactCenterProvider = { ...number.contactCenterProvider };
    return out;
  }

  /** `ForwardingNumberInfo`. */
  forwardingNumber(record: ForwardingNumberRecord): Record<string, unknown> {
    const out: Record<string, unknown> = {
      uri: `${this.extensionUri(record.extensionId)}/forwarding-number/${record.id}`,
      id: record.id,
      phoneNumber: record.phoneNumber,
      label: record.label,
      features: [...record.features],
      type: record.type,
    };
    if (record.flipNumber) out.flipNumber = record.flipNumber;
    return out;
  }

  private v1Core(number: PhoneNumberRecord): Record<string, unknown> {
    const out: Record<string, unknown> = {
      id: Number(number.id),
      phoneNumber: number.phoneNumber,
      paymentType: number.tollFree ? 'TollFree' : 'Local',
      type: number.type,
      usageType: number.usageType,
      status: number.status,
      activationStatus: 'Active',
    };
    if (number.location) out.location = number.location;
    if (number.label) out.label = number.label;
    out.primary = number.primary;
    if (number.contactCenterProvider) out.contactCenterProvider = { ...number.contactCenterProvider };
    return out;
  }
}

/** What an extension may do with a number of its list (admin view: features are shown). */
function features(number: PhoneNumberRecord, extension: ExtensionRecord): string[] {
  if (number.usageType !== 'DirectNumber' || extension.type !== 'User') return ['CallerId'];
  if (number.tollFree || number.type === 'FaxOnly') return ['CallerId'];
  return number.country === 'US' || number.country === 'CA'
    ? ['CallerId', 'SmsSender', 'MmsSender', 'InternationalSmsSender']
    : ['CallerId'];
}

const country = (id: string, isoCode: string, name: string, callingCode: string) => (origin: string) => ({
  id,
  uri: `${origin}/restapi/v1.0/dictionary/country/${id}`,
  name,
  isoCode,
  callingCode,
});
const US_COUNTRY = country('1', 'US', 'United States', '1');
const COUNTRIES = { US: US_COUNTRY, CA: country('39', 'CA', 'Canada', '1'), GB: country('224', 'GB', 'United Kingdom', '44') };
