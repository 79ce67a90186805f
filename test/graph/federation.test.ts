import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kind, parse, print, type ObjectTypeDefinitionNode, type ObjectTypeExtensionNode, type SchemaExtensionNode } from 'graphql';
import { startGraph, type GraphHarness } from '../support/graph.js';
import { EXTENSION_SUMMARY, extensionSummary, globalId, labelOf, readProviderTruth, sourcesOf, type ProviderTruth } from '../support/truth.js';

/**
 * What a Federation 2 router sees of this subgraph: the SDL it composes
 * (`_service`) and the entities it resolves by key (`_entities`). Entity keys
 * are stored by other subgraphs, so their values (E.164, the global IDs of
 * tracking groups and extensions) are checked exactly.
 */

const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on PhoneNumber { e164 nationalFormat label sources { provider providerId rawNumber } }
    ... on TrackingGroup { id name isDefault trackingNumbers { description phoneNumber { e164 } } }
    ... on Extension { ${EXTENSION_SUMMARY} }
  }
}`;

describe('federation', () => {
  let graph: GraphHarness;
  let truth: ProviderTruth;

  beforeAll(async () => {
    graph = await startGraph();
    truth = await readProviderTruth(graph.backends.clients);
  });
  afterAll(async () => graph.close());

  const clients = () => graph.backends.clients;
  const phoneNumber = (e164: string) => ({
    __typename: 'PhoneNumber',
    e164,
    nationalFormat: `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`,
    label: labelOf(truth.numbers.get(e164)!),
    sources: sourcesOf(truth.numbers.get(e164)!),
  });
  async function trackingGroup(accountId: string, tracGroupId: string) {
    const group = (await clients().ringcx!.listTracGroups(accountId)).find((g) => g.tracGroupId === tracGroupId)!;
    return {
      __typename: 'TrackingGroup',
      id: globalId('TrackingGroup', accountId, tracGroupId),
      name: group.groupName,
      isDefault: group.isDefault === true,
      trackingNumbers: group.tracNumbers.map((t) => ({ description: t.description, phoneNumber: { e164: `+${t.assignedDnis!.dnis}` } })),
    };
  }
  async function extension(id: string) {
    return { __typename: 'Extension', ...extensionSummary(await clients().ringcentral!.getExtension(id)) };
  }

  describe('_service', () => {
    let sdl: string;
    beforeAll(async () => {
      const { body } = await graph.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
      expect(body.errors).toBeUndefined();
      sdl = body.data!._service.sdl;
    });

    it('links the Federation 2 spec, importing @key, @shareable and @requiresScopes', () => {
      const links = parse(sdl)
        .definitions.filter((d): d is SchemaExtensionNode => d.kind === Kind.SCHEMA_EXTENSION)
        .flatMap((d) => d.directives ?? [])
        .filter((d) => d.name.value === 'link')
        .map((d) => print(d));
      expect(links).toContain('@link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@requiresScopes"])');
    });

    it('declares the scope every root field needs, so a router can enforce them too', () => {
      const document = parse(sdl);
      const roots = document.definitions.filter(
        (d): d is ObjectTypeDefinitionNode | ObjectTypeExtensionNode =>
          (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION) && (d.name.value === 'Query' || d.name.value === 'Mutation'),
      );
      const scopes = roots.flatMap((type) =>
        (type.fields ?? [])
          .filter((f) => !f.name.value.startsWith('_'))
          .map((f) => {
            const directive = f.directives?.find((d) => d.name.value === 'requiresScopes');
            return [`${type.name.value}.${f.name.value}`, directive ? print(directive) : 'none'] as const;
          }),
      );
      expect(scopes.length).toBeGreaterThanOrEqual(20);
      for (const [field, directive] of scopes) {
        const expected = field.startsWith('Query.') ? 'numbers:read' : /assign|reassign|unassign/i.test(field) ? 'routing:write' : 'inventory:write';
        expect([field, directive]).toEqual([field, `@requiresScopes(scopes: [["${expected}"]])`]);
      }
    });

    it('keys PhoneNumber by e164 and TrackingGroup and Extension by id, and nothing else', () => {
      const keys = parse(sdl)
        .definitions.filter((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION)
        .flatMap((type) => (type.directives ?? []).filter((d) => d.name.value === 'key').map((d) => `${type.name.value} ${print(d)}`))
        .sort();
      expect(keys).toEqual(['Extension @key(fields: "id")', 'PhoneNumber @key(fields: "e164")', 'TrackingGroup @key(fields: "id")']);
      expect(sdl).toMatch(/type PhoneNumber implements Node\s+@key\(fields: "e164"\)/);
    });

    it('marks PageInfo shareable, since other subgraphs define it too', () => {
      expect(sdl).toMatch(/type PageInfo\s+@shareable\s*\{/);
    });
  });

  describe('_entities', () => {
    it.each(['+12066103211', '12066103211', '(206) 610-3211', '+1 206 610 3211'])('resolves a PhoneNumber from e164 %j', async (e164) => {
      const { body } = await graph.query(ENTITIES, { representations: [{ __typename: 'PhoneNumber', e164 }] });
      expect(body).toEqual({ data: { _entities: [phoneNumber('+12066103211')] } });
    });

    it('resolves a TrackingGroup from its id', async () => {
      const id = globalId('TrackingGroup', '15300002', '803');
      const { body } = await graph.query(ENTITIES, { representations: [{ __typename: 'TrackingGroup', id }] });
      const expected = await trackingGroup('15300002', '803');
      expect(expected).toMatchObject({ name: 'Direct Mail', isDefault: false });
      expect(body).toEqual({ data: { _entities: [expected] } });
    });

    it('resolves an Extension from its id', async () => {
      const owner = truth.numbers.get('+12066103211')!.ringcentral!.extension!.id;
      const { body } = await graph.query(ENTITIES, { representations: [{ __typename: 'Extension', id: globalId('Extension', owner) }] });
      const expected = await extension(owner);
      expect(expected).toMatchObject({ name: 'Technical Support', extensionNumber: '504', type: 'DEPARTMENT' });
      expect(body).toEqual({ data: { _entities: [expected] } });
    });

    it('answers null for each key no provider knows or that is not a key of the type', async () => {
      expect(truth.numbers.has('+14155550123')).toBe(false);
      const representations = [
        { __typename: 'PhoneNumber', e164: '+14155550123' },
        { __typename: 'PhoneNumber', e164: 'not a number' },
        { __typename: 'PhoneNumber' },
        { __typename: 'TrackingGroup', id: globalId('TrackingGroup', '15300001', '999') },
        { __typename: 'TrackingGroup', id: globalId('Queue', '15300001', '801') },
        { __typename: 'TrackingGroup', id: 'garbage' },
        { __typename: 'Extension', id: globalId('Extension', '999') },
        { __typename: 'Extension', id: globalId('TrackingGroup', '15300001', '801') },
        { __typename: 'Extension', id: 'garbage' },
      ];
      const { body } = await graph.query(ENTITIES, { representations });
      expect(body).toEqual({ data: { _entities: representations.map(() => null) } });
    });

    it('mixes the three types in one request and answers in representation order', async () => {
      const owner = truth.numbers.get('+12066103211')!.ringcentral!.extension!.id;
      const operator = (await clients().ringcentral!.getAccount()).operator!.id;
      const [first, second] = truth.sorted;
      const representations = [
        { __typename: 'Extension', id: globalId('Extension', owner) },
        { __typename: 'PhoneNumber', e164: second },
        { __typename: 'TrackingGroup', id: globalId('TrackingGroup', '15300001', '801') },
        { __typename: 'PhoneNumber', e164: '+14155550123' },
        { __typename: 'PhoneNumber', e164: first },
        { __typename: 'Extension', id: globalId('Extension', operator) },
        { __typename: 'TrackingGroup', id: globalId('TrackingGroup', '15300003', '805') },
        { __typename: 'PhoneNumber', e164: '(206) 610-3211' },
      ];
      const { body } = await graph.query(ENTITIES, { representations });
      expect(body).toEqual({
        data: {
          _entities: [
            await extension(owner),
            phoneNumber(second!),
            await trackingGroup('15300001', '801'),
            null,
            phoneNumber(first!),
            await extension(operator),
            await trackingGroup('15300003', '805'),
            phoneNumber('+12066103211'),
          ],
        },
      });
    });
  });
});
