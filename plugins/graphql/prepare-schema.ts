// The GraphQL importer's preparation, run in the spec worker: builds the schema from the SDL (the check a large schema
// makes slow) and lists its root fields as the operations it answers. The stored document is the SDL itself.
import type { GraphQLObjectType } from 'graphql';
import type { PrepareSpec } from '../../core/contract.js';
import { buildMockSchema } from './schema-mock.js';

const prepare: PrepareSpec = async (file, job) => {
  job.stage('validating', 0);
  const sdl = Buffer.from(file.bytes).toString('utf8');
  let schema;
  try {
    schema = buildMockSchema(sdl);
  } catch (err) {
    throw new Error(`the GraphQL schema does not build: ${(err as Error).message}`);
  }
  job.stage('mapping', 80);
  const roots: Array<[string, GraphQLObjectType | null | undefined]> = [
    ['query', schema.getQueryType()], ['mutation', schema.getMutationType()], ['subscription', schema.getSubscriptionType()],
  ];
  const operations = roots.flatMap(([kind, type]) => Object.keys(type?.getFields() ?? {}).map((field) => `${kind} ${field}`));
  const types = Object.keys(schema.getTypeMap()).filter((name) => !name.startsWith('__')).length;
  return { text: sdl, operations, result: { types } };
};

export default prepare;
