import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { isSupportedCountry } from 'libphonenumber-js/max';

const E164_PATTERN = /^\+[1-9]\d{6,14}$/;

function literal(ast: ValueNode, name: string): string {
  if (ast.kind !== Kind.STRING) throw new GraphQLError(`${name} must be a string`, { extensions: { code: 'BAD_USER_INPUT' } });
  return ast.value;
}

/** E.164 numbers. Input must already be E.164: arguments that read any format are Strings. */
function parseE164(value: unknown): string {
  if (typeof value !== 'string' || !E164_PATTERN.test(value)) {
    throw new GraphQLError(`E164 must be an E.164 number like "+14155550100", got ${JSON.stringify(value)}`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return value;
}

export const E164 = new GraphQLScalarType<string, string>({
  name: 'E164',
  serialize: (value) => String(value),
  parseValue: parseE164,
  parseLiteral: (ast) => parseE164(literal(ast, 'E164')),
});

/** ISO-8601 instants; providers give epoch milliseconds, ISO strings or Dates, all serialised alike. */
function parseDateTime(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime())) {
    throw new GraphQLError(`DateTime must be an ISO-8601 string, got ${JSON.stringify(value)}`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return date;
}

export const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(value as string | number);
    if (Number.isNaN(date.getTime())) throw new GraphQLError(`DateTime cannot represent ${JSON.stringify(value)}`);
    return date.toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(literal(ast, 'DateTime')),
});

/** ISO 3166-1 alpha-2 country codes of countries with a phone numbering plan; input is upper-cased. */
function parseCountryCode(value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z]{2}$/.test(value)) {
    throw new GraphQLError(`CountryCode must be a two-letter ISO 3166-1 code like "US", got ${JSON.stringify(value)}`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  const code = value.toUpperCase();
  if (!isSupportedCountry(code)) {
    throw new GraphQLError(`CountryCode "${code}" is not a country with a phone numbering plan`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return code;
}

export const CountryCode = new GraphQLScalarType<string, string>({
  name: 'CountryCode',
  serialize: (value) => String(value),
  parseValue: parseCountryCode,
  parseLiteral: (ast) => parseCountryCode(literal(ast, 'CountryCode')),
});
