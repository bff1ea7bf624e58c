// What every built-in helper module uses: splitting Handlebars' trailing options argument off, the data it carries,
// and the write-time check type.
import type { Faker } from '@faker-js/faker';
import type { HelperOptions } from 'handlebars';
import type { TemplateData, TemplateRoot } from '../../core/contract.js';

export type { HelperOptions };

/** `options.data` as the built-in helpers see it. */
export interface BuiltinData extends TemplateData {
  faker: Faker;
  maxRepeat: number;
  /** Answers of the template's state calls, worked out by the main thread before the render (see state.ts). */
  presets: Array<{ value: unknown } | { error: string }> | undefined;
  presetsUsed: number;
}

/** Handlebars passes its options object last; everything before it is the user's arguments. */
export function splitArgs(args: readonly unknown[]): { args: unknown[]; options: HelperOptions } {
  return { args: args.slice(0, -1), options: args[args.length - 1] as HelperOptions };
}

export const dataOf = (options: HelperOptions): BuiltinData => options.data as BuiltinData;
export const rootOf = (options: HelperOptions): TemplateRoot => (options.data as BuiltinData).root;

/** Missing values print as nothing (Handlebars prints undefined and null as ''). */
export const isMissing = (value: unknown): value is undefined | null => value === undefined || value === null;

/** An argument as the main thread sees it when a rule is written: a literal's value, or unknown until rendered. */
export type Argument = { literal: true; value: string | number | boolean } | { literal: false };

/** Returns what is wrong with a call whose arguments are (partly) literals, or undefined when nothing is. */
export type HelperCheck = (args: readonly Argument[], limits: { maxRepeat: number }) => string | undefined;

/** Helper functions take any arguments; the last is always Handlebars' options. */
export type Helper = (...args: unknown[]) => unknown;
