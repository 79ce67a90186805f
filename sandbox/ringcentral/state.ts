import { RcHttpError, invalidParameter, notFound } from './errors.js';
import {
  DEFAULT_CONTACT_CENTER_PROVIDER,
  NUMBER_OWNING_TYPES,
  RINGCX_PROVIDER,
  type AccountData,
  type ExtensionRecord,
  type ForwardingNumberRecord,
  type NumberType,
  type PhoneNumberRecord,
} from './model.js';
import { markPrimaries } from './seed.js';

const ASSIGN_USAGE = ['MainCompanyNumber', 'CompanyNumber', 'DirectNumber', 'ContactCenterNumber'] as const;
const NUMBER_TYPES: readonly NumberType[] = ['VoiceFax', 'VoiceOnly', 'FaxOnly'];
const CONTACT_CENTER_PROVIDERS: readonly { id: string; name: string }[] = [DEFAULT_CONTACT_CENTER_PROVIDER, RINGCX_PROVIDER];

/**
 * The account as it is now. Reads and the one write (assigning a number)
 * work on the same records, indexed for the lookups the routes make.
 */
export class RingCentralState {
  private data!: AccountData;
  private extensionsById = new Map<string, ExtensionRecord>();
  private numbersById = new Map<string, PhoneNumberRecord>();

  constructor(private readonly seed: AccountData) {
    this.reset();
  }

  /** Back to a deep copy of the seed. */
  reset(): void {
    this.data = structuredClone(this.seed);
    this.extensionsById = new Map(this.data.extensions.map((e) => [e.id, e]));
    this.numbersById = new Map(this.data.numbers.map((n) => [n.id, n]));
  }

  get account(): AccountData['account'] {
    return this.data.account;
  }

  get extensions(): readonly ExtensionRecord[] {
    return this.data.extensions;
  }

  /** Every number in id order, inventory included (v1 views leave inventory out). */
  get numbers(): readonly PhoneNumberRecord[] {
    return this.data.numbers;
  }

  extension(id: string): ExtensionRecord | undefined {
    return this.extensionsById.get(id);
  }

  number(id: string): PhoneNumberRecord | undefined {
    return this.numbersById.get(id);
  }

  /** The numbers an extension's own list shows: its direct numbers (primary first), after the main number for users. */
  extensionNumbers(extension: ExtensionRecord): PhoneNumberRecord[] {
    const direct = this.data.numbers.filter((n) => n.usageType === 'DirectNumber' && n.extensionId === extension.id);
    direct.sort((a, b) => Number(b.primary) - Number(a.primary));
    if (extension.type !== 'User') return direct;
    const main = this.data.numbers.find((n) => n.usageType === 'MainCompanyNumber');
    return main ? [main, ...direct] : direct;
  }

  forwardingNumbers(extensionId: string): ForwardingNumberRecord[] {
    return this.data.forwarding.filter((f) => f.extensionId === extensionId);
  }

  /**
   * `PATCH /restapi/v2/accounts/{accountId}/phone-numbers/{phoneNumberId}`:
   * validates `AssignPhoneNumberRequest` as RingCentral does (400 naming the
   * parameter) and moves the number. Supported moves are the spec's:
   * inventory → company/extension, extension → extension, extension →
   * company, company → extension; making a number the main company number
   * demotes the previous one to a company number.
   */
  assign(phoneNumberId: string, body: unknown): PhoneNumberRecord {
    if (!/^[1-9]\d{1,14}$/.test(phoneNumberId)) throw new RcHttpError(400, invalidParameter('phoneNumberId', phoneNumberId));
    const number = this.numbersById.get(phoneNumberId);
    if (!number) throw new RcHttpError(404, notFound('phoneNumberId', phoneNumberId));
    const request = parseAssignRequest(body);

    if (number.usageType === 'MainCompanyNumber' && request.usageType !== 'MainCompanyNumber') {
      throw new RcHttpError(
        400,
        invalidParameter('usageType', request.usageType, 'the main company number cannot be reassigned; make another number the main company number first'),
      );
    }

    let target: ExtensionRecord | undefined;
    if (request.usageType === 'DirectNumber') {
      if (request.extensionId === undefined) {
        throw new RcHttpError(400, invalidParameter('extension.id', undefined, 'an extension is required for usageType DirectNumber'));
      }
      target = this.extensionsById.get(request.extensionId);
      if (!target) throw new RcHttpError(400, notFound('extension.id', request.extensionId));
      if (!NUMBER_OWNING_TYPES.has(target.type)) {
        throw new RcHttpError(400, invalidParameter('extension.id', request.extensionId, `an extension of type ${target.type} cannot have direct numbers`));
      }
    } else if (request.extensionId !== undefined) {
      throw new RcHttpError(400, invalidParameter('extension', request.extensionId, `only DirectNumber numbers belong to an extension, not ${request.usageType}`));
    }

    if (request.usageType === 'MainCompanyNumber' && number.usageType !== 'MainCompanyNumber') {
      for (const other of this.data.numbers) if (other.usageType === 'MainCompanyNumber') other.usageType = 'CompanyNumber';
      this.data.account.mainNumber = number.phoneNumber;
    }
    if (request.usageType === 'ContactCenterNumber') {
      number.contactCenterProvider = request.contactCenterProvider ?? number.contactCenterProvider ?? { ...DEFAULT_CONTACT_CENTER_PROVIDER };
    } else {
      delete number.contactCenterProvider;
    }
    number.usageType = request.usageType;
    if (target) number.extensionId = target.id;
    else delete number.extensionId;
    if (request.type) number.type = request.type;
    markPrimaries(this.data.numbers);
    return number;
  }
}

interface AssignRequest {
  usageType: (typeof ASSIGN_USAGE)[number];
  extensionId?: string;
  type?: NumberType;
  contactCenterProvider?: { id: string; name: string };
}

function parseAssignRequest(body: unknown): AssignRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RcHttpError(400, { errorCode: 'CMN-101', message: 'Request body must be an AssignPhoneNumberRequest JSON object' });
  }
  const input = body as Record<string, unknown>;
  const usageType = input.usageType;
  if (usageType === undefined || usageType === null) {
    throw new RcHttpError(400, { errorCode: 'CMN-101', message: 'Parameter [usageType] is required', parameterName: 'usageType' });
  }
  if (typeof usageType !== 'string' || !(ASSIGN_USAGE as readonly string[]).includes(usageType)) {
    throw new RcHttpError(400, invalidParameter('usageType', usageType, `expected one of ${ASSIGN_USAGE.join(', ')}`));
  }
  const request: AssignRequest = { usageType: usageType as AssignRequest['usageType'] };

  if (input.extension !== undefined && input.extension !== null) {
    const extension = input.extension;
    if (typeof extension !== 'object' || Array.isArray(extension)) throw new RcHttpError(400, invalidParameter('extension', undefined, 'expected an object'));
    const id = (extension as Record<string, unknown>).id;
    // The spec types the id as a string; a JSON number is coerced, as the platform's Java binding does.
    if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) request.extensionId = String(id);
    else if (typeof id === 'string' && /^\d+$/.test(id)) request.extensionId = id;
    else if (id === undefined || id === null) throw new RcHttpError(400, { errorCode: 'CMN-101', message: 'Parameter [extension.id] is required', parameterName: 'extension.id' });
    else throw new RcHttpError(400, invalidParameter('extension.id', id));
  }

  if (input.type !== undefined && input.type !== null) {
    if (typeof input.type !== 'string' || !(NUMBER_TYPES as readonly string[]).includes(input.type)) {
      throw new RcHttpError(400, invalidParameter('type', input.type, `expected one of ${NUMBER_TYPES.join(', ')}`));
    }
    request.type = input.type as NumberType;
  }

  if (input.costCenterId !== undefined && input.costCenterId !== null) {
    // The seeded account has the cost-center feature off: only the root exists and it cannot be named.
    if (typeof input.costCenterId !== 'string') throw new RcHttpError(400, invalidParameter('costCenterId', input.costCenterId));
    throw new RcHttpError(400, notFound('costCenterId', input.costCenterId));
  }

  if (input.contactCenterProvider !== undefined && input.contactCenterProvider !== null) {
    const provider = input.contactCenterProvider;
    if (typeof provider !== 'object' || Array.isArray(provider)) throw new RcHttpError(400, invalidParameter('contactCenterProvider', undefined, 'expected an object'));
    const { id } = provider as Record<string, unknown>;
    if (typeof id !== 'string' || id === '') throw new RcHttpError(400, invalidParameter('contactCenterProvider.id', id));
    if (request.usageType !== 'ContactCenterNumber') {
      throw new RcHttpError(400, invalidParameter('contactCenterProvider', id, 'only ContactCenterNumber numbers have a contact-center provider'));
    }
    // The account knows a fixed set of providers; the name is theirs, whatever the request says.
    const known = CONTACT_CENTER_PROVIDERS.find((p) => p.id === id);
    if (!known) throw new RcHttpError(400, notFound('contactCenterProvider.id', id));
    request.contactCenterProvider = { ...known };
  }
  return request;
}
