import { describe, expect, it } from '@jest/globals';
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isUnionType, isScalarType } from 'graphql';
import { buildSchema } from '../../src/graph/schema.js';

/**
 * House rule: everything in the SDL is described, so the playground's docs and
 * every client's tooling explain the graph. Federation's own machinery
 * (`_service`, `_entities`, `_Any`…) and GraphQL's built-ins are not ours.
 */
describe('the schema', () => {
  const schema = buildSchema();
  const ours = Object.values(schema.getTypeMap()).filter(
    (type) => !type.name.startsWith('_') && !type.name.startsWith('link__') && !type.name.startsWith('federation__') && !['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name) && !type.name.startsWith('__'),
  );

  it('describes every type, field, argument and enum value', () => {
    const missing: string[] = [];
    for (const type of ours) {
      if (!type.description?.trim() && !['Query', 'Mutation'].includes(type.name)) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (field.name.startsWith('_')) continue;
          if (!field.description?.trim()) missing.push(`${type.name}.${field.name}`);
          for (const arg of field.args) if (!arg.description?.trim()) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      } else if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) if (!field.description?.trim()) missing.push(`${type.name}.${field.name}`);
      } else if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description?.trim()) missing.push(`${type.name}.${value.name}`);
      } else if (!isUnionType(type) && !isScalarType(type)) {
        missing.push(`${String(type)} (unexpected kind)`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('uses custom scalars for formatted values and caps every connection', () => {
    expect(ours.filter(isScalarType).map((t) => t.name).sort()).toEqual(expect.arrayContaining(['CountryCode', 'DateTime', 'E164']));
    const connections: string[] = [];
    for (const type of ours) {
      if (!isObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        const returns = String(field.type).replace(/[!\[\]]/g, '');
        if (!returns.endsWith('Connection')) continue;
        connections.push(`${type.name}.${field.name}`);
        const first = field.args.find((a) => a.name === 'first');
        expect([`${type.name}.${field.name}`, first?.description]).toEqual([`${type.name}.${field.name}`, expect.stringMatching(/1–500|at most/)]);
      }
    }
    expect(connections.length).toBeGreaterThanOrEqual(5);
  });
});
