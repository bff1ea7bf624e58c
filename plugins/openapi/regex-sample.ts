// Strings matching a schema `pattern`: a small generator for the regex subset specs use (classes, groups, alternation,
// quantifiers, anchors); look-around and back-references are refused (the caller falls back). Results are checked
// with RE2, which cannot stall on any pattern.
import type { Faker } from '@faker-js/faker';
import { RE2JS } from 're2js';

type Node =
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; options: Node[] }
  | { t: 'rep'; node: Node; min: number; max: number }
  | { t: 'chars'; set: string };

export type PatternSampler = (faker: Faker) => string | undefined;

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
const DIGITS = '0123456789';
const WORD = `abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ${DIGITS}_`;
const SPACE = ' \t';
/** `*`, `+` and `{n,}` repeat at most this many times past their minimum. */
const OPEN_REPEAT = 4;
const MAX_RANGE = 2000;

const compiled = new Map<string, PatternSampler | undefined>();
const MAX_COMPILED = 500;

/** A sampler for the pattern, or undefined when it uses syntax this generator does not know. */
export function patternSampler(pattern: string): PatternSampler | undefined {
  if (compiled.has(pattern)) return compiled.get(pattern);
  let sampler: PatternSampler | undefined;
  try {
    const tree = new Parser(pattern).parse();
    const re = RE2JS.compile(pattern);
    sampler = (faker) => {
      for (let i = 0; i < 5; i++) {
        const candidate = generate(tree, faker);
        if (re.matcher(candidate).find()) return candidate;
      }
      return undefined;
    };
  } catch {
    sampler = undefined;
  }
  if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
  compiled.set(pattern, sampler);
  return sampler;
}

function generate(node: Node, faker: Faker): string {
  switch (node.t) {
    case 'seq':
      return node.items.map((n) => generate(n, faker)).join('');
    case 'alt':
      return generate(node.options[faker.number.int(node.options.length - 1)]!, faker);
    case 'rep': {
      const count = faker.number.int({ min: node.min, max: node.max });
      let out = '';
      for (let i = 0; i < count; i++) out += generate(node.node, faker);
      return out;
    }
    case 'chars':
      return node.set.length === 0 ? '' : node.set[faker.number.int(node.set.length - 1)]!;
  }
}

class Parser {
  #at = 0;
  constructor(private readonly source: string) {}

  parse(): Node {
    const node = this.#alternation();
    if (this.#at < this.source.length) throw new Error(`unexpected "${this.source[this.#at]}"`);
    return node;
  }

  #alternation(): Node {
    const options = [this.#sequence()];
    while (this.source[this.#at] === '|') {
      this.#at++;
      options.push(this.#sequence());
    }
    return options.length === 1 ? options[0]! : { t: 'alt', options };
  }

  #sequence(): Node {
    const items: Node[] = [];
    while (this.#at < this.source.length && this.source[this.#at] !== '|' && this.source[this.#at] !== ')') {
      const atom = this.#atom();
      if (atom !== undefined) items.push(this.#quantified(atom));
    }
    return { t: 'seq', items };
  }

  #atom(): Node | undefined {
    const c = this.source[this.#at++]!;
    switch (c) {
      case '^':
      case '$':
        return undefined;
      case '.':
        return { t: 'chars', set: WORD.slice(0, 62) };
      case '[':
        return { t: 'chars', set: this.#class() };
      case '\\':
        return { t: 'chars', set: this.#escape(false) };
      case '(': {
        if (this.source[this.#at] === '?') {
          const group = /^\?(?::|<[A-Za-z_]\w*>|P<[A-Za-z_]\w*>)/.exec(this.source.slice(this.#at));
          if (group === null) throw new Error('look-around is not supported');
          this.#at += group[0].length;
        }
        const inner = this.#alternation();
        if (this.source[this.#at++] !== ')') throw new Error('unclosed group');
        return inner;
      }
      case '*': case '+': case '?': case '{': case ')':
        throw new Error(`unexpected "${c}"`);
      default:
        return { t: 'chars', set: c };
    }
  }

  #quantified(node: Node): Node {
    const c = this.source[this.#at];
    let min: number;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      this.#at++;
      min = c === '+' ? 1 : 0;
      max = c === '?' ? 1 : min + OPEN_REPEAT;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.#at));
      if (m === null) return node;
      this.#at += m[0].length;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? min + OPEN_REPEAT : Number(m[3]);
      if (max < min || max > 1000) throw new Error('repetition out of range');
    } else {
      return node;
    }
    if (this.source[this.#at] === '?' || this.source[this.#at] === '+') this.#at++; // lazy or possessive: same strings
    return { t: 'rep', node, min, max };
  }

  /** A bracket class as the characters it allows (negated ones drawn from printable ASCII). */
  #class(): string {
    const negated = this.source[this.#at] === '^';
    if (negated) this.#at++;
    let set = '';
    let first = true;
    while (this.#at < this.source.length && (this.source[this.#at] !== ']' || first)) {
      first = false;
      const c = this.source[this.#at++]!;
      const from = c === '\\' ? this.#escape(true) : c;
      if (from.length === 1 && this.source[this.#at] === '-' && this.source[this.#at + 1] !== ']' && this.#at + 1 < this.source.length) {
        this.#at++;
        const d = this.source[this.#at++]!;
        const to = d === '\\' ? this.#escape(true) : d;
        if (to.length !== 1 || to < from) throw new Error('bad range');
        const start = from.codePointAt(0)!;
        const end = Math.min(to.codePointAt(0)!, start + MAX_RANGE);
        for (let code = start; code <= end; code++) set += String.fromCodePoint(code);
      } else {
        set += from;
      }
    }
    if (this.source[this.#at++] !== ']') throw new Error('unclosed class');
    return negated ? [...PRINTABLE].filter((ch) => !set.includes(ch)).join('') : set;
  }

  /** The characters an escape stands for; in a class, `\b` is a backspace and never a boundary. */
  #escape(inClass: boolean): string {
    const c = this.source[this.#at++];
    switch (c) {
      case undefined: throw new Error('trailing backslash');
      case 'd': return DIGITS;
      case 'w': return WORD;
      case 's': return SPACE;
      case 'D': return [...PRINTABLE].filter((ch) => !DIGITS.includes(ch)).join('');
      case 'W': return [...PRINTABLE].filter((ch) => !WORD.includes(ch)).join('');
      case 'S': return PRINTABLE.slice(1);
      case 't': return '\t';
      case 'n': return '\n';
      case 'r': return '\r';
      case 'b': if (inClass) return '\b'; throw new Error('word boundaries are not supported');
      case 'B': throw new Error('word boundaries are not supported');
      case 'x': return this.#code(2);
      case 'u': return this.#code(4);
      default:
        if (/[1-9]/.test(c)) throw new Error('back-references are not supported');
        return c;
    }
  }

  #code(digits: number): string {
    const hex = this.source.slice(this.#at, this.#at + digits);
    if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) throw new Error('bad escape');
    this.#at += digits;
    return String.fromCharCode(parseInt(hex, 16));
  }
}
