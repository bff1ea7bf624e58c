// The protos of test/fixtures/protos: a shop (orders importing google/type/money.proto, a common file and well-known
// types) and a proto2 inventory.
import { readFileSync } from 'node:fs';
import { compileProtos, type CompiledProtos } from '../../../../plugins/grpc/protos.js';

const FIXTURES = new URL('../../../fixtures/protos/', import.meta.url);

export const SHOP_FILES = ['shop/v1/orders.proto', 'shop/v1/common.proto', 'google/type/money.proto'] as const;
export const INVENTORY_FILE = 'legacy/inventory.proto';

export function fixtureText(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

/** The upload document for these fixture files, plus inline ones. */
export function protosDocument(names: readonly string[], inline: Record<string, string> = {}): string {
  return JSON.stringify({ files: { ...Object.fromEntries(names.map((name) => [name, fixtureText(name)])), ...inline } });
}

export const shop: CompiledProtos = compileProtos(protosDocument([...SHOP_FILES, INVENTORY_FILE]));
export const typeOf = (name: string) => shop.root.lookupType(name);
