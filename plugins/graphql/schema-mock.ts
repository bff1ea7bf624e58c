// Answers GraphQL requests from a schema alone: builds the schema from SDL, then executes each request with graphql-js
// (so aliases, fragments, variables and @include/@skip behave as on a real server) while a field resolver makes up a
// value for every field from its return type and name. Pure: no I/O, no state beyond the faker instance it seeds.
import { faker } from '@faker-js/faker/locale/en';
import {
  GraphQLError,
  buildASTSchema,
  executeSync,
  getNamedType,
  getNullableType,
  getOperationAST,
  isEnumType,
  isListType,
  isNonNullType,
  isScalarType,
  parse,
  print,
  validate,
  validateSchema,
  type DefinitionNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
  type GraphQLSchema,
  type GraphQLTypeResolver,
} from 'graphql';

/** A GraphQL request: what {@link answerFromSchema} needs of it. */
export interface SchemaMockRequest {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/** One error of a GraphQL response, in the standard format. */
export interface SchemaMockError {
  message: string;
  locations?: unknown;
  path?: unknown;
}

/** A GraphQL response: `data`, `errors`, or both. */
export interface SchemaMockResponse {
  data?: unknown;
  errors?: SchemaMockError[];
}

export interface SchemaMockOptions {
  /** Seeds the generator: the same request against the same schema then gives the same answer. */
  seed?: number;
}

/** Parses and validates an SDL; throws an Error whose message includes the parser's message and line:column on invalid SDL. */
export function buildMockSchema(sdl: string): GraphQLSchema {
  let schema: GraphQLSchema;
  try {
    schema = buildASTSchema(withoutRepeatedFields(parse(sdl)), { assumeValidSDL: false });
  } catch (error) {
    throw new Error(describeErrors([error]));
  }
  const problems = validateSchema(schema);
  if (problems.length > 0) throw new Error(describeErrors(problems));
  return schema;
}

/**
 * Published SDLs repeat a field word for word now and then (GitHub's does); a server answers the same either way, so an
 * exact repeat is dropped. A field declared twice differently is still the SDL's error.
 */
function withoutRepeatedFields(document: DocumentNode): DocumentNode {
  let changed = false;
  const definitions = document.definitions.map((definition) => {
    if (!('fields' in definition) || definition.fields === undefined) return definition;
    const seen = new Map<string, string>();
    const fields = (definition.fields as ReadonlyArray<FieldDefinitionNode | InputValueDefinitionNode>).filter((field) => {
      const printed = print({ ...field, description: undefined });
      const before = seen.get(field.name.value);
      seen.set(field.name.value, printed);
      return before !== printed;
    });
    if (fields.length === definition.fields.length) return definition;
    changed = true;
    return { ...definition, fields } as DefinitionNode;
  });
  return changed ? { ...document, definitions } : document;
}

let seeded = false;

// the same few queries come again and again: each is parsed and validated against a schema once
const checkedQueries = new WeakMap<GraphQLSchema, Map<string, { document: DocumentNode } | { errors: SchemaMockError[] }>>();
const MAX_CHECKED = 256;

function checkedQuery(schema: GraphQLSchema, query: string): { document: DocumentNode } | { errors: SchemaMockError[] } {
  let queries = checkedQueries.get(schema);
  if (queries === undefined) checkedQueries.set(schema, (queries = new Map()));
  let checked = queries.get(query);
  if (checked === undefined) {
    try {
      const document = parse(query);
      const problems = validate(schema, document);
      checked = problems.length > 0 ? { errors: problems.map(formatError) } : { document };
    } catch (error) {
      checked = { errors: [formatError(error)] };
    }
    if (queries.size >= MAX_CHECKED) queries.delete(queries.keys().next().value!);
    queries.set(query, checked);
  }
  return checked;
}

/** Answers one GraphQL request against the schema with generated data. Never throws. */
export function answerFromSchema(schema: GraphQLSchema, request: SchemaMockRequest, options: SchemaMockOptions = {}): SchemaMockResponse {
  try {
    // reseeding costs more than a small answer: only for a seeded answer, and for the first unseeded one after it
    if (options.seed !== undefined && Number.isFinite(options.seed)) {
      faker.seed(options.seed);
      seeded = true;
    } else if (seeded) {
      faker.seed();
      seeded = false;
    }
    if (typeof request?.query !== 'string') return { errors: [{ message: 'the request has no query' }] };
    const checked = checkedQuery(schema, request.query);
    if ('errors' in checked) return checked;
    const { document } = checked;
    const operation = getOperationAST(document, request.operationName ?? undefined);
    if (operation?.operation === 'subscription') {
      const error = new GraphQLError('subscriptions are not supported', { nodes: operation });
      return { errors: [formatError(error)] };
    }
    const generator = new Generator();
    const result = executeSync({
      schema,
      document,
      rootValue: {},
      variableValues: request.variables ?? undefined,
      operationName: request.operationName ?? undefined,
      fieldResolver: generator.fieldResolver,
      typeResolver: generator.typeResolver,
    });
    const response: SchemaMockResponse = {};
    if (result.errors !== undefined && result.errors.length > 0) response.errors = result.errors.map(formatError);
    if ('data' in result && result.data !== undefined) response.data = result.data;
    return response;
  } catch (error) {
    return { errors: [formatError(error)] };
  }
}

/** Past this many generated list items in one answer, lists get a single item: deep nested lists stay small. */
const LIST_ITEM_BUDGET = 10_000;

class Generator {
  private listItems = 0;

  readonly fieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) => {
    if (source !== null && typeof source === 'object' && Object.prototype.hasOwnProperty.call(source, info.fieldName)) {
      return (source as Record<string, unknown>)[info.fieldName];
    }
    return this.value(info.returnType, info.fieldName);
  };

  readonly typeResolver: GraphQLTypeResolver<unknown, unknown> = (value, _context, info, abstractType) => {
    if (value !== null && typeof value === 'object') {
      const named = (value as Record<string, unknown>)['__typename'];
      if (typeof named === 'string') return named;
    }
    const possible = info.schema.getPossibleTypes(abstractType);
    return possible.length === 0 ? undefined : faker.helpers.arrayElement(possible).name;
  };

  private value(type: GraphQLOutputType, fieldName: string): unknown {
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      const length = this.listItems >= LIST_ITEM_BUDGET ? 1 : faker.number.int({ min: 1, max: 5 });
      this.listItems += length;
      return Array.from({ length }, () => this.value(nullable.ofType, fieldName));
    }
    if (isNonNullType(nullable)) return this.value(nullable.ofType, fieldName);
    const named = getNamedType(nullable);
    if (isEnumType(named)) {
      const values = named.getValues();
      return values.length === 0 ? null : faker.helpers.arrayElement(values).value;
    }
    if (isScalarType(named)) return scalarValue(named.name, fieldName);
    // object, interface, union: graphql-js resolves its fields (and its concrete type) from here
    return {};
  }
}

function scalarValue(scalar: string, fieldName: string): unknown {
  switch (scalar) {
    case 'ID':
      return faker.string.uuid();
    case 'String':
      return stringFor(fieldName);
    case 'Int':
      return intFor(fieldName);
    case 'Float':
      return floatFor(fieldName);
    case 'Boolean':
      return faker.datatype.boolean();
  }
  const name = scalar.toLowerCase();
  if (/date|time|instant/.test(name)) return isoDate();
  if (/ur[il]|link|href/.test(name)) return faker.internet.url();
  if (/json|object|map/.test(name)) return {};
  if (name.includes('email')) return faker.internet.email();
  if (name === 'uuid' || name === 'guid') return faker.string.uuid();
  return stringFor(fieldName);
}

const isoDate = (): string => faker.date.past({ years: 2 }).toISOString();

function isDateField(fieldName: string): boolean {
  // camelCase suffixes are matched case-sensitively: `createdAt`, `updatedOn`, `startTime`, but not `description`
  return /[a-z0-9](At|On|Time)$|_(at|on|time)$/.test(fieldName) || /Date|Timestamp|^(date|time|timestamp)|_(date|timestamp)/.test(fieldName);
}

function stringFor(fieldName: string): string {
  const name = fieldName.toLowerCase().replace(/[_-]/g, '');
  if (name === 'id' || name === 'uuid' || /[a-z]Id$|_id$/.test(fieldName)) return faker.string.uuid();
  if (name.includes('email')) return faker.internet.email();
  if (name === 'firstname' || name === 'givenname') return faker.person.firstName();
  if (name === 'lastname' || name === 'surname' || name === 'familyname') return faker.person.lastName();
  if (name === 'username' || name === 'login' || name === 'handle') return faker.internet.username();
  if (name === 'companyname' || name === 'company' || name === 'organization') return faker.company.name();
  if (name === 'name' || name === 'fullname' || name === 'displayname' || name.endsWith('name')) return faker.person.fullName();
  if (/url|uri|homepage|website|link|href|avatar|image|picture|photo/.test(name)) return faker.internet.url();
  if (/phone|mobile|fax/.test(name)) return faker.phone.number();
  if (name.includes('city')) return faker.location.city();
  if (name.includes('country')) return faker.location.country();
  if (/street|address/.test(name)) return faker.location.streetAddress();
  if (/zip|postal|postcode/.test(name)) return faker.location.zipCode();
  if (isDateField(fieldName)) return isoDate();
  if (name === 'title' || name.endsWith('title') || name === 'subject' || name === 'headline') {
    const words = faker.lorem.words({ min: 2, max: 5 });
    return words.charAt(0).toUpperCase() + words.slice(1);
  }
  if (/description|body|text|content|summary|message|bio|comment|note/.test(name)) return faker.lorem.sentence();
  if (name.includes('color') || name.includes('colour')) return faker.color.human();
  if (name.includes('currency')) return faker.finance.currencyCode();
  if (name === 'slug') return faker.lorem.slug();
  if (name === 'ip' || name.includes('ipaddress')) return faker.internet.ip();
  if (/token|hash|sha|secret|key/.test(name)) return faker.string.alphanumeric(24);
  return faker.lorem.word();
}

function intFor(fieldName: string): number {
  const name = fieldName.toLowerCase();
  if (name === 'age' || /[a-z]Age$/.test(fieldName)) return faker.number.int({ min: 18, max: 90 });
  if (name.includes('year')) return faker.number.int({ min: 1990, max: 2030 });
  if (/count|total|size|length|number|quantity|amount|num/.test(name)) return faker.number.int({ min: 0, max: 100 });
  if (/price|cost/.test(name)) return faker.number.int({ min: 1, max: 1000 });
  return faker.number.int({ min: 1, max: 100 });
}

function floatFor(fieldName: string): number {
  const name = fieldName.toLowerCase();
  if (name === 'lat' || name.includes('latitude')) return faker.location.latitude({ precision: 2 });
  if (name === 'lng' || name === 'lon' || name.includes('longitude')) return faker.location.longitude({ precision: 2 });
  if (/price|amount|cost|total|balance/.test(name)) return faker.number.float({ min: 1, max: 1000, fractionDigits: 2 });
  return faker.number.float({ min: 0, max: 100, fractionDigits: 2 });
}

/** A thrown value as a response error: message, and locations and path when graphql-js knows them. */
function formatError(error: unknown): SchemaMockError {
  if (error instanceof GraphQLError) {
    const formatted: SchemaMockError = { message: error.message };
    if (error.locations !== undefined && error.locations.length > 0) formatted.locations = error.locations.map((l) => ({ line: l.line, column: l.column }));
    if (error.path !== undefined) formatted.path = [...error.path];
    return formatted;
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

/** `line 3, column 5: Syntax Error: …`, one line per error. */
function describeErrors(errors: readonly unknown[]): string {
  return errors
    .map((error) => {
      if (!(error instanceof GraphQLError)) return error instanceof Error ? error.message : String(error);
      const location = error.locations?.[0];
      return location === undefined ? error.message : `line ${location.line}, column ${location.column}: ${error.message}`;
    })
    .join('\n');
}
