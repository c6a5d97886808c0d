import fc from 'fast-check';
import type { ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';

/** The part of JSON Schema (2020-12, as OpenAPI 3.1 uses it) that the API's documents use. */
export interface Schema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  minProperties?: number;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
}

/**
 * A validator that knows the formats the documents use. Ajv itself ships none: these follow
 * RFC 3339 (date-time) and the plain `local@domain` form; `binary` marks raw bytes.
 */
export function schemaValidator() {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  ajv.addFormat(
    'date-time',
    (value: string) =>
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/i.test(value) && !Number.isNaN(Date.parse(value)),
  );
  ajv.addFormat('email', /^[^\s@]+@[^\s@]+\.[^\s@]+$/);
  ajv.addFormat('binary', () => true);
  const compiled = new WeakMap<object, ValidateFunction>();
  return (schema: Schema, value: unknown): { valid: boolean; errors: string } => {
    let validate = compiled.get(schema);
    if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
    const valid = validate(value) as boolean;
    return { valid, errors: valid ? '' : ajv.errorsText(validate.errors) };
  };
}

/**
 * One UTF-16 unit per character (no surrogate pairs): JSON Schema counts lengths in code
 * points and the server's TypeBox in UTF-16 units; they agree on this plane.
 */
const char = fc
  .oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x1f }) },
    { weight: 2, arbitrary: fc.integer({ min: 0xa0, max: 0xd7ff }) },
    { weight: 1, arbitrary: fc.integer({ min: 0xe000, max: 0xfffd }) },
  )
  .map((code) => String.fromCharCode(code));

const text = (minLength: number, maxLength: number) => fc.string({ unit: char, minLength, maxLength });

const types = (schema: Schema): string[] =>
  Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];

function stringValue(schema: Schema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? min + 200;
  if (schema.format === 'email') {
    const word = fc.stringMatching(/^[a-z0-9]{1,12}$/);
    return fc
      .tuple(word, word, fc.constantFrom('com', 'org', 'fr'))
      .map(([user, host, tld]) => `${user}@${host}.${tld}`);
  }
  if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.pattern) {
    return fc
      .stringMatching(new RegExp(schema.pattern), { size: 'small' })
      .filter((s) => s.length >= min && s.length <= max);
  }
  // Lengths at both bounds, where off-by-one mistakes live, and short ones in between.
  return fc.oneof(text(min, Math.min(max, min + 30)), text(min, min), text(max, max));
}

/** Values the schema accepts. */
export function validValue(schema: Schema): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if ('const' in schema) return fc.constant(schema.const);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return fc.oneof(...branches.map(validValue));
  const kinds = types(schema);
  if (kinds.length > 1) return fc.oneof(...kinds.map((type) => validValue({ ...schema, type })));
  switch (kinds[0]) {
    case 'string':
      return stringValue(schema);
    case 'integer': {
      const min = schema.minimum ?? -(2 ** 31);
      const max = schema.maximum ?? 2 ** 31;
      return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
    }
    case 'number':
      return fc.double({ min: schema.minimum, max: schema.maximum, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(validValue(schema.items ?? {}), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case 'object':
      return objectValue(schema);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectValue(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const record = fc.record(
    Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, validValue(property)])),
    { requiredKeys: (schema.required ?? []).filter((name) => name in properties) },
  );
  // Unknown fields are allowed unless the schema says otherwise; a client may send some.
  const extra =
    schema.additionalProperties === false
      ? fc.constant({})
      : fc.option(fc.record({ x_extra: fc.string() }), { nil: {} });
  return fc
    .tuple(record, extra)
    .map(([known, more]) => ({ ...more, ...known }))
    .filter((value) => Object.keys(value).length >= (schema.minProperties ?? 0));
}

/** Candidates that break one rule of the schema; `invalidValue` keeps those the schema refuses. */
function breakers(schema: Schema): fc.Arbitrary<unknown>[] {
  const out: fc.Arbitrary<unknown>[] = [fc.constantFrom<unknown>(null, true, 1.5, -1, 'x', [], {})];
  const branches = schema.anyOf ?? schema.oneOf ?? [];
  for (const branch of branches) out.push(...breakers(branch));
  if (schema.maxLength !== undefined) out.push(text(schema.maxLength + 1, schema.maxLength + 20));
  if (schema.minLength) out.push(text(0, schema.minLength - 1));
  if (schema.pattern || schema.format || schema.enum) out.push(text(0, 12), fc.constantFrom('not valid!', 'null', ''));
  if (schema.minimum !== undefined) out.push(fc.integer({ min: schema.minimum - 1000, max: schema.minimum - 1 }));
  if (schema.maximum !== undefined) out.push(fc.integer({ min: schema.maximum + 1, max: schema.maximum + 1000 }));
  if (schema.properties) out.push(...objectBreakers(schema));
  if (schema.items) out.push(fc.array(fc.oneof(...breakers(schema.items)), { minLength: 1, maxLength: 2 }));
  return out;
}

/** A valid object with one required field dropped, or one field replaced by a bad value. */
function objectBreakers(schema: Schema): fc.Arbitrary<unknown>[] {
  const properties = Object.entries(schema.properties ?? {});
  const valid = objectValue(schema);
  const out: fc.Arbitrary<unknown>[] = [];
  const required = schema.required ?? [];
  if (required.length > 0) {
    out.push(fc.tuple(valid, fc.constantFrom(...required)).map(([value, name]) => ({ ...value, [name]: undefined })));
  }
  if (properties.length > 0) {
    const field = fc
      .constantFrom(...properties)
      .chain(([name, property]) => fc.oneof(...breakers(property)).map((bad) => [name, bad] as const));
    out.push(fc.tuple(valid, field).map(([value, [name, bad]]) => ({ ...value, [name]: bad })));
  }
  if (schema.minProperties) out.push(fc.constant({}));
  return out;
}

type Check = ReturnType<typeof schemaValidator>;

/** Keeps the candidates, as sent, that the schema refuses; null when it refuses none of them. */
function refusedOnly(
  candidates: fc.Arbitrary<unknown>[],
  send: (value: unknown) => unknown,
  refuses: (sent: unknown) => boolean,
) {
  const kept = (sent: unknown) => sent !== undefined && refuses(sent);
  const probe = fc.sample(fc.oneof(...candidates), { numRuns: 50, seed: 1 });
  if (!probe.some((value) => kept(send(value)))) return null;
  return fc
    .oneof(...candidates)
    .map(send)
    .filter(kept);
}

/** JSON values the schema refuses (checked with the validator), or null when it accepts anything. */
export function invalidValue(schema: Schema, check: Check): fc.Arbitrary<unknown> | null {
  // `undefined` fields are dropped by JSON.stringify: judge the value as it will be sent.
  const sent = (value: unknown) => (value === undefined ? value : JSON.parse(JSON.stringify(value)));
  return refusedOnly(breakers(schema), sent, (value) => !check(schema, value).valid);
}

/** A parameter as the server reads it: text, a number where the schema wants one and the text is one. */
export function fromWire(schema: Schema, text: string): unknown {
  const numeric = types(schema).some((type) => type === 'integer' || type === 'number');
  return numeric && /^-?\d+(?:\.\d+)?$/.test(text) ? Number(text) : text;
}

/** Parameter texts (path, query, header) that the schema refuses once read, or null. */
export function invalidParam(schema: Schema, check: Check): fc.Arbitrary<string> | null {
  const wire = (value: unknown) => (value !== null && typeof value === 'object' ? undefined : String(value));
  return refusedOnly(
    breakers(schema),
    wire,
    (text) => !check(schema, fromWire(schema, text as string)).valid,
  ) as fc.Arbitrary<string> | null;
}

/** Parameter texts the schema accepts once read. */
export const validParam = (schema: Schema): fc.Arbitrary<string> => validValue(schema).map((value) => String(value));
