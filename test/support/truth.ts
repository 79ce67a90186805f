import type { ProviderClients } from '../../src/providers/index.js';
import type { RcAccountPhoneNumber, RcExtension } from '../../src/providers/ringcentral/index.js';
import type { DnisPool, DnisRecord, RcxAccount, TnManagerSearchCriteria } from '../../src/providers/ringcx/index.js';
import type { RingyoPhoneNumber } from '../../src/providers/ringyo/index.js';
import type { ZendeskPhoneNumber } from '../../src/providers/zendesk/index.js';
import type { GraphHarness, GraphResponse } from './graph.js';

/**
 * The oracle graph tests check answers against: what each provider's own API
 * says, read through the provider clients (not through the catalog, the
 * merge or any resolver), with E.164 worked out here from each provider's
 * documented format rather than by the normaliser under test.
 */

/** Every record one provider holds for one E.164 number. */
export interface NumberRecords {
  ringcx?: DnisRecord;
  ringcentral?: RcAccountPhoneNumber;
  zendesk?: ZendeskPhoneNumber;
  ringyo?: RingyoPhoneNumber;
}

export interface ProviderTruth {
  /** RingCX's sub-accounts, in RingCX's order. */
  accounts: RcxAccount[];
  /** Every DNIS of every sub-account (`searchDnis`). */
  ringcx: DnisRecord[];
  /** Every RingCentral number, inventory included (the v2 list). */
  ringcentral: RcAccountPhoneNumber[];
  /** Every Zendesk Talk number. */
  zendesk: ZendeskPhoneNumber[];
  /** Every Ringyo number. */
  ringyo: RingyoPhoneNumber[];
  /** RingCentral's extension directory. */
  extensions: RcExtension[];
  /** Every E.164 number any provider holds, with each provider's record. */
  numbers: Map<string, NumberRecords>;
  /** The keys of `numbers`, in E.164 (code-unit) order. */
  sorted: string[];
}

const E164 = /^\+[1-9]\d{6,14}$/;

/** `raw` if it is already E.164; the oracle refuses to guess. */
function e164(raw: string | null | undefined, what: string): string {
  if (!raw || !E164.test(raw)) throw new Error(`oracle: ${what} is not E.164: ${JSON.stringify(raw)}`);
  return raw;
}

/** Drains an async iterable. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** The four providers' number lists and RingCentral's extensions, merged by E.164 here. */
export async function readProviderTruth(clients: ProviderClients): Promise<ProviderTruth> {
  const ringcxClient = clients.ringcx!;
  const accounts = await ringcxClient.listAccounts();
  const [{ records: ringcx }, ringcentral, zendesk, ringyo, extensions] = await Promise.all([
    ringcxClient.searchDnis({ accountIds: accounts.map((a) => a.accountId) }),
    collect(clients.ringcentral!.listPhoneNumbersV2()),
    collect(clients.zendesk!.listPhoneNumbers()),
    collect(clients.ringyo!.listPhoneNumbers()),
    collect(clients.ringcentral!.listExtensions()),
  ]);
  const numbers = new Map<string, NumberRecords>();
  const put = <K extends keyof NumberRecords>(key: string, provider: K, record: NonNullable<NumberRecords[K]>) => {
    const entry = numbers.get(key) ?? {};
    if (entry[provider]) throw new Error(`oracle: ${provider} lists ${key} twice`);
    entry[provider] = record;
    numbers.set(key, entry);
  };
  // RingCX writes a DNIS as the E.164 digits without "+"; the others write E.164.
  for (const r of ringcx) put(e164(`+${r.dnis}`, `RingCX DNIS ${r.dnis}`), 'ringcx', r);
  for (const r of ringcentral) put(e164(r.phoneNumber, `RingCentral number ${r.id}`), 'ringcentral', r);
  for (const r of zendesk) put(e164(r.number, `Zendesk number ${r.id}`), 'zendesk', r);
  for (const r of ringyo) put(e164(r.phone_number, `Ringyo number ${r.id}`), 'ringyo', r);
  const sorted = [...numbers.keys()].sort(byCodeUnit);
  return { accounts, ringcx, ringcentral, zendesk, ringyo, extensions, numbers, sorted };
}

/** Plain string order (what "sorted by E.164" means for `+`-prefixed digit strings). */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every record of RingCX's pool matching `criteria` (`tnManager/search`), by E.164. */
export async function ringcxSearch(clients: ProviderClients, criteria: TnManagerSearchCriteria): Promise<string[]> {
  const records: DnisPool[] = await collect(clients.ringcx!.searchDnisPool(criteria));
  return records.map((r) => e164(`+${r.dnis}`, `RingCX DNIS ${r.dnis}`)).sort(byCodeUnit);
}

/**
 * A Relay global ID as Switchboard documents it (base64url of `Type:key…`,
 * each part URI-encoded). Written out here, not imported, because IDs of
 * federation entities are keys other subgraphs store: their format is part
 * of the contract.
 */
export function globalId(type: string, ...key: string[]): string {
  return Buffer.from([type, ...key].map(encodeURIComponent).join(':'), 'utf8').toString('base64url');
}

/** `text` with the character at `index` replaced by a different one of the same alphabet. */
export function flipChar(text: string, index: number): string {
  const current = text[index]!;
  const replacement = current === 'A' ? 'B' : 'A';
  return `${text.slice(0, index)}${replacement}${text.slice(index + 1)}`;
}

/** One page of any connection, as tests select it. */
export interface Page<N> {
  totalCount: number;
  edges: { cursor: string; node: N }[];
  nodes: N[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/**
 * Follows `endCursor` from the first page to the last. `query` must take
 * `$first: Int` and `$after: String` and select the whole connection as
 * `page`. Throws on any GraphQL error, failing the test.
 */
export async function allPages<N>(graph: GraphHarness, query: string, variables: Record<string, unknown>, first: number): Promise<Page<N>[]> {
  const pages: Page<N>[] = [];
  let after: string | null = null;
  for (let i = 0; ; i++) {
    if (i > 1000) throw new Error('more than 1,000 pages: the cursor does not advance');
    const response: GraphResponse<{ page: Page<N> }> = await graph.query<{ page: Page<N> }>(query, { ...variables, first, after });
    const { status, body } = response;
    if (status !== 200 || body.errors || !body.data) throw new Error(`page ${i + 1} failed (${status}): ${JSON.stringify(body.errors)}`);
    const page: Page<N> = body.data.page;
    pages.push(page);
    if (!page.pageInfo.hasNextPage) return pages;
    after = page.pageInfo.endCursor;
  }
}

/** The `sources { provider providerId rawNumber }` a number should show: one per provider record, in provider order. */
export function sourcesOf(records: NumberRecords): { provider: string; providerId: string; rawNumber: string }[] {
  const out: { provider: string; providerId: string; rawNumber: string }[] = [];
  if (records.ringcx) out.push({ provider: 'RINGCX', providerId: records.ringcx.dnis, rawNumber: records.ringcx.dnis });
  if (records.ringcentral) out.push({ provider: 'RINGCENTRAL', providerId: records.ringcentral.id, rawNumber: records.ringcentral.phoneNumber });
  if (records.zendesk) out.push({ provider: 'ZENDESK', providerId: records.zendesk.id, rawNumber: records.zendesk.number! });
  if (records.ringyo) out.push({ provider: 'RINGYO', providerId: records.ringyo.id, rawNumber: records.ringyo.phone_number });
  return out;
}

/** The schema's `label`: the first provider name for the number (RingCX description, RingCentral label, Zendesk nickname, Ringyo friendly name). */
export function labelOf(records: NumberRecords): string | null {
  return records.ringcx?.dnisDescription || records.ringcentral?.label || records.zendesk?.nickname || records.ringyo?.friendly_name || null;
}

/** RingCentral's extension types as the schema names them (the ones the sandbox seeds, and a few more). */
export const EXTENSION_TYPE: Record<string, string> = {
  User: 'USER',
  Department: 'DEPARTMENT',
  IvrMenu: 'IVR_MENU',
  Announcement: 'ANNOUNCEMENT',
  Voicemail: 'VOICEMAIL',
  ParkLocation: 'PARK_LOCATION',
  ApplicationExtension: 'APPLICATION_EXTENSION',
  SharedLinesGroup: 'SHARED_LINES_GROUP',
  PagingOnly: 'PAGING_ONLY',
  GroupCallPickup: 'GROUP_CALL_PICKUP',
};

/** RingCentral's extension statuses as the schema names them. */
export const EXTENSION_STATUS: Record<string, string> = {
  Enabled: 'ENABLED',
  Disabled: 'DISABLED',
  Frozen: 'FROZEN',
  NotActivated: 'NOT_ACTIVATED',
  Unassigned: 'UNASSIGNED',
};

/** The selection `EXTENSION_SUMMARY` picks, worked out from RingCentral's record. */
export const EXTENSION_SUMMARY = 'id extensionNumber name type status';
export function extensionSummary(e: RcExtension): { id: string; extensionNumber: string | null; name: string; type: string; status: string } {
  const type = EXTENSION_TYPE[e.type];
  const status = EXTENSION_STATUS[e.status ?? ''];
  if (!type || !status || !e.name) throw new Error(`oracle: extension ${e.id} has a type, status or name the tests do not know`);
  return { id: globalId('Extension', e.id), extensionNumber: e.extensionNumber ?? null, name: e.name, type, status };
}

/** "Sorted by extension number": numeric order of the short numbers. */
export function byExtensionNumber(a: RcExtension, b: RcExtension): number {
  return Number(a.extensionNumber) - Number(b.extensionNumber) || byCodeUnit(a.id, b.id);
}
