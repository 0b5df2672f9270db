import type { IncomingMessage } from 'node:http';
import { CardvaultError } from '../../../src/errors';

/** Every request body is refused past 16 KB, before it is parsed. */
export const MAX_BODY_BYTES = 16 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads the body up to {@link MAX_BODY_BYTES} and decodes it as strict UTF-8.
 * Throws `body_too_large` (413) or `body_malformed` (non-UTF-8 bytes).
 */
export async function readBody(req: IncomingMessage): Promise<string> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > MAX_BODY_BYTES) throw new CardvaultError('body_too_large');
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding !== 'identity') {
    throw new CardvaultError('unsupported_media_type', { message: 'Compressed request bodies are not accepted.' });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new CardvaultError('body_too_large');
    chunks.push(chunk);
  }
  const buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  try {
    return utf8.decode(buf);
  } catch {
    throw new CardvaultError('body_malformed', { message: 'The request body is not valid UTF-8.' });
  }
}

/** Raw parameters: name -> every value sent under it, in order. Map, so no prototype is involved. */
export type RawParams = Map<string, string[]>;

function add(params: RawParams, name: string, value: string): void {
  const list = params.get(name);
  if (list) list.push(value);
  else params.set(name, [value]);
}

/**
 * Parses `application/x-www-form-urlencoded`. Malformed percent-escapes and escapes that decode to
 * invalid UTF-8 are `body_malformed`.
 */
export function parseForm(body: string): RawParams {
  const params: RawParams = new Map();
  if (body === '') return params;
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    } catch {
      throw new CardvaultError('body_malformed', { message: 'The form body has an invalid percent-encoding.' });
    }
    add(params, name, value);
  }
  return params;
}

/**
 * Parses a JSON body strictly (duplicate keys refused, depth bounded, numbers kept as their source
 * text so a 10,000-digit number is a long string, not Infinity) and flattens it to form names:
 * `{"card":{"number":"4242"}}` -> `card[number]`, `{"allowed_origins":["a"]}` -> `allowed_origins[]`.
 */
export function parseJson(body: string): RawParams {
  const value = new StrictJson(body).parseDocument();
  if (!(value instanceof JsonObject)) throw new CardvaultError('body_malformed', { message: 'The JSON body must be an object.' });
  const params: RawParams = new Map();
  const flatten = (prefix: string, v: JsonValue, depth: number): void => {
    if (v instanceof JsonObject) {
      if (depth >= 2) {
        add(params, `${prefix}[…]`, '');
        return;
      }
      for (const [k, inner] of v.entries) flatten(prefix === '' ? k : `${prefix}[${k}]`, inner, depth + 1);
    } else if (Array.isArray(v)) {
      for (const item of v) {
        if (item instanceof JsonObject || Array.isArray(item)) add(params, `${prefix}[][…]`, '');
        else flatten(`${prefix}[]`, item, depth + 1);
      }
    } else if (v === null) {
      add(params, prefix, '\u0000null');
    } else {
      add(params, prefix, typeof v === 'boolean' ? String(v) : v.text);
    }
  };
  flatten('', value, 0);
  return params;
}

/** A JSON null as flattened: never a legal parameter value (NUL is refused everywhere). */
export const JSON_NULL = '\u0000null';

class JsonObject {
  entries: [string, JsonValue][] = [];
}
type JsonScalar = { text: string } | boolean | null;
type JsonValue = JsonObject | JsonValue[] | JsonScalar;

const MAX_DEPTH = 8;

class StrictJson {
  private i = 0;
  constructor(private readonly s: string) {}

  private fail(message = 'The request body is not valid JSON.'): never {
    throw new CardvaultError('body_malformed', { message });
  }

  private ws(): void {
    while (this.i < this.s.length) {
      const c = this.s.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else break;
    }
  }

  parseDocument(): JsonValue {
    this.ws();
    const v = this.value(0);
    this.ws();
    if (this.i !== this.s.length) this.fail();
    return v;
  }

  private value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail('The JSON body is nested too deeply.');
    const c = this.s[this.i];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return { text: this.string() };
    if (this.s.startsWith('true', this.i)) return (this.i += 4), true;
    if (this.s.startsWith('false', this.i)) return (this.i += 5), false;
    if (this.s.startsWith('null', this.i)) return (this.i += 4), null;
    return this.number();
  }

  private object(depth: number): JsonObject {
    const obj = new JsonObject();
    const seen = new Set<string>();
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') return this.i++, obj;
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail();
      const key = this.string();
      if (seen.has(key)) throw new CardvaultError('parameter_duplicated', { param: safeName(key) });
      seen.add(key);
      this.ws();
      if (this.s[this.i] !== ':') this.fail();
      this.i++;
      this.ws();
      obj.entries.push([key, this.value(depth + 1)]);
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return obj;
      if (c !== ',') this.fail();
    }
  }

  private array(depth: number): JsonValue[] {
    const out: JsonValue[] = [];
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') return this.i++, out;
    for (;;) {
      this.ws();
      out.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') this.fail();
    }
  }

  private string(): string {
    const start = this.i;
    // Find the closing quote, honouring escapes, then let JSON.parse decode exactly that literal.
    this.i++;
    while (this.i < this.s.length) {
      const c = this.s.charCodeAt(this.i);
      if (c === 34) break;
      if (c === 92) this.i++;
      else if (c < 32) this.fail();
      this.i++;
    }
    if (this.i >= this.s.length) this.fail();
    this.i++;
    try {
      return JSON.parse(this.s.slice(start, this.i)) as string;
    } catch {
      return this.fail();
    }
  }

  private number(): { text: string } {
    const m = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(this.s.slice(this.i, this.i + MAX_BODY_BYTES));
    if (!m) this.fail();
    this.i += m[0].length;
    return { text: m[0] };
  }
}

/**
 * A parameter name as it may appear in an error: truncated, and withheld when it looks like it
 * carries card digits (someone sent a card number as a field name).
 */
export function safeName(name: string): string {
  if (/[0-9]{6}/.test(name.replace(/[\s-]/g, ''))) return '(redacted)';
  return name.length > 64 ? `${name.slice(0, 64)}…` : name;
}
