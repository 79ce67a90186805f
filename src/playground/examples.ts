/** An operation preloaded as a tab in the playground. */
export interface ExampleOperation {
  title: string;
  query: string;
  variables?: string;
}

const DESTINATION = `destination {
          __typename
          ... on Queue { name group { name } }
          ... on VisualIvr { name }
          ... on CloudRouteProfile { name groupName }
          ... on TrackingNumber { description group { name } }
          ... on Extension { name extensionNumber type }
          ... on ZendeskGroup { name }
          ... on ZendeskIvr { name }
          ... on VoiceAgent { agentId }
        }`;

/**
 * The example operations newcomers see first. They use numbers and IDs from
 * the embedded sandbox's default seed, so they answer as they are.
 */
export const EXAMPLE_OPERATIONS: readonly ExampleOperation[] = [
  {
    title: 'Inventory dashboard',
    query: `# Every number across RingCX, RingCentral, Zendesk Talk and Ringyo,
# one row per E.164 number, with where it routes.
query InventoryDashboard($after: String) {
  all: phoneNumbers(first: 1) { totalCount }
  unassigned: phoneNumbers(filter: { assigned: false }, first: 1) { totalCount }
  tollFree: phoneNumbers(filter: { tollFree: true }, first: 1) { totalCount }
  phoneNumbers(first: 25, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      e164
      nationalFormat
      country
      label
      sources { provider providerId }
      assignments {
        provider
        active
        ${DESTINATION}
      }
      extension { name extensionNumber }
    }
  }
}
`,
  },
  {
    title: "One number's full routing",
    query: `# Any common format works: E.164, (206) 610-3211, 12066103211…
# This number is both a RingCX DNIS and a RingCentral call-queue number.
query NumberRouting($number: String!) {
  phoneNumber(e164: $number) {
    e164
    internationalFormat
    capabilities { voice sms mms fax }
    sources {
      provider
      providerId
      rawNumber
      ... on RingCxNumberSource { accountName category description active }
      ... on RingCentralNumberSource { usageType paymentType type provisioningStatus label features }
      ... on ZendeskNumberSource { displayNumber nickname groups { name } ivr { name } }
      ... on RingyoNumberSource { friendlyName status defaultAgent { agentId } }
    }
    assignments {
      provider
      active
      description
      startDate
      ${DESTINATION}
    }
    extension { name type status contact { email department } forwardingNumbers { phoneNumber label type } }
    trackingNumber { description group { name } }
  }
}
`,
    variables: JSON.stringify({ number: '(206) 610-3211' }, null, 2),
  },
  {
    title: 'A tracking group',
    query: `# A RingCX tracking group and its numbers (list them all with \`trackingGroups\`).
query TrackingGroup($id: ID!) {
  trackingGroup(id: $id) {
    id
    name
    isDefault
    trackingNumbers {
      description
      active
      phoneNumber { e164 nationalFormat assignments { provider active } }
    }
  }
}
`,
    variables: JSON.stringify({ id: 'VHJhY2tpbmdHcm91cDoxNTMwMDAwMTo4MDE' }, null, 2),
  },
  {
    title: 'Queues and their numbers',
    query: `query Queues {
  queues {
    name
    active
    group { name }
    account { name }
    phoneNumbers(first: 5) { totalCount nodes { e164 label } }
  }
}
`,
  },
];
