import fc from 'fast-check';
import {
  fromWire,
  invalidParam,
  invalidValue,
  validParam,
  validValue,
  type Schema,
  type schemaValidator,
} from './schema-values.ts';

export interface MediaType {
  schema?: Schema;
}
export interface ResponseObject {
  description?: string;
  content?: Record<string, MediaType>;
}
export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: Schema;
}
export interface OperationObject {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, ResponseObject>;
  security?: Record<string, string[]>[];
}
export type SecurityScheme =
  | { type: 'http'; scheme: string }
  | { type: 'apiKey'; in: 'header' | 'query'; name: string };
export interface Document {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { securitySchemes?: Record<string, SecurityScheme> };
}
export interface Operation {
  method: string;
  path: string;
  spec: OperationObject;
}

/** A value made when the request is sent: a fresh one-time token, or one that depends on the body. */
export interface Late {
  late: (body: unknown) => string | Promise<string>;
  label: string;
}
export type Text = string | Late;

/** What a test knows that the schemas do not: ids that exist, keys, files (mixed with generated values). */
export interface Hints {
  params?: Record<string, fc.Arbitrary<Text>>;
  body?: fc.Arbitrary<unknown>;
}

export type CaseKind =
  | 'valid'
  | 'bad-param'
  | 'bad-body'
  | 'bad-json'
  | 'not-json'
  | 'no-auth'
  | 'bad-auth'
  | 'too-large';

export interface Body {
  contentType: string | null;
  /** JSON value for JSON bodies; text or bytes as they are sent otherwise. */
  value: unknown;
  encoding: 'json' | 'raw' | 'malformed' | 'form' | 'urlencoded' | 'padded';
}

/** One request, as generated: what it breaks (if anything) and every part of it. */
export interface PlannedRequest {
  kind: CaseKind;
  /** Which parameter or field is bad, for the report. */
  broken?: string;
  params: { name: string; in: Parameter['in']; value: Text }[];
  credential: { scheme: string; value: Text } | null;
  body: Body | null;
}

const JSON_TYPE = 'application/json';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

export function operationsOf(doc: Document): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, spec]) => ({ method, path, spec })),
  );
}

/** A path segment that URL parsing would not swallow (`.` and `..` are dot segments). */
const segmentSafe = (value: Text) => typeof value !== 'string' || (value !== '.' && value !== '..' && value !== '');

/** What a header can carry: visible ASCII, no edge spaces (fetch refuses or trims the rest). */
const headerSafe = (value: string) => value.replace(/[^\x21-\x7e ]/g, '').trim();

function paramValue(param: Parameter, hints: Hints): fc.Arbitrary<Text> {
  const valid = validParam(param.schema);
  const generated =
    param.in === 'path' ? valid.filter(segmentSafe) : param.in === 'header' ? valid.map(headerSafe) : valid;
  const hint = hints.params?.[param.name];
  return hint ? fc.oneof({ weight: 4, arbitrary: hint }, { weight: 1, arbitrary: generated }) : generated;
}

/** Required parameters always, optional ones now and then. */
function paramsOf(op: Operation, hints: Hints) {
  const params = (op.spec.parameters ?? []).filter((p) => p.in !== 'cookie');
  return fc
    .tuple(
      ...params.map((param) => {
        const value = paramValue(param, hints).map((v) => ({ name: param.name, in: param.in, value: v }));
        return param.required ? value : fc.option(value, { nil: null, freq: 2 });
      }),
    )
    .map((list) => list.filter((p) => p !== null));
}

/** The first documented body type and a value of it. */
function bodyOf(op: Operation, hints: Hints): fc.Arbitrary<Body | null> {
  const content = op.spec.requestBody?.content;
  if (!content) return fc.constant(null);
  const [contentType, media] = Object.entries(content)[0]!;
  const generated =
    contentType === 'application/octet-stream' ? fc.uint8Array({ maxLength: 64 }) : validValue(media.schema ?? {});
  const value = hints.body
    ? fc.oneof({ weight: 4, arbitrary: hints.body }, { weight: 1, arbitrary: generated })
    : generated;
  return value.map((v) => ({ contentType, value: v, encoding: contentType === JSON_TYPE ? 'json' : 'raw' }) as Body);
}

/** A credential for one of the operation's security requirements (none when it is public). */
function credentialOf(op: Operation, credentials: Record<string, fc.Arbitrary<Text>>) {
  const schemes = (op.spec.security ?? []).flatMap((requirement) => Object.keys(requirement));
  if (schemes.length === 0) return fc.constant(null);
  return fc.constantFrom(...schemes).chain((scheme) => {
    const value = credentials[scheme];
    if (!value) throw new Error(`the walk has no credential for the security scheme ${scheme}`);
    return value.map((v) => ({ scheme, value: v }));
  });
}

export interface Planner {
  check: ReturnType<typeof schemaValidator>;
  credentials: Record<string, fc.Arbitrary<Text>>;
  /** A bearer key the server does not know. */
  unknownKey: string;
  /** One byte past the JSON body limit. */
  tooLargeBytes: number;
}

/** Every kind of request the operation can be sent: valid ones, and ones that break one rule. */
export function requestsFor(op: Operation, hints: Hints, planner: Planner): fc.Arbitrary<PlannedRequest> {
  const base = fc.record({
    params: paramsOf(op, hints),
    credential: credentialOf(op, planner.credentials),
    body: bodyOf(op, hints),
  });
  const valid = base.map((r) => ({ kind: 'valid' as const, ...r }));
  const cases: fc.Arbitrary<PlannedRequest>[] = [];

  for (const param of op.spec.parameters ?? []) {
    const bad = invalidParam(param.schema, planner.check);
    if (!bad) continue;
    const stillBad = (text: string) => !planner.check(param.schema, fromWire(param.schema, text)).valid;
    const safe =
      param.in === 'path'
        ? bad.filter(segmentSafe)
        : param.in === 'header'
          ? bad.map(headerSafe).filter(stillBad)
          : bad;
    cases.push(
      fc.tuple(base, safe).map(([r, value]) => ({
        ...r,
        kind: 'bad-param' as const,
        broken: `${param.in} ${param.name}`,
        params: [...r.params.filter((p) => p.name !== param.name), { name: param.name, in: param.in, value }],
      })),
    );
  }
  for (const param of (op.spec.parameters ?? []).filter((p) => p.required && p.in !== 'path')) {
    cases.push(
      base.map((r) => ({
        ...r,
        kind: 'bad-param' as const,
        broken: `${param.in} ${param.name} missing`,
        params: r.params.filter((p) => p.name !== param.name),
      })),
    );
  }
  const media = op.spec.requestBody?.content[JSON_TYPE];
  if (media) {
    const bad = invalidValue(media.schema ?? {}, planner.check);
    if (bad)
      cases.push(
        fc.tuple(base, bad).map(([r, value]) => ({ ...r, kind: 'bad-body' as const, body: { ...r.body!, value } })),
      );
    const malformed = fc.constantFrom('{', '{"a":', "{'a':1}", '[1,]', 'undefined', '{"a":1}}', 'NaN', '\u0000');
    cases.push(
      fc.tuple(base, malformed).map(([r, value]) => ({
        ...r,
        kind: 'bad-json' as const,
        body: { contentType: JSON_TYPE, value, encoding: 'malformed' },
      })),
    );
    const notJson = fc.constantFrom<[string | null, Body['encoding']]>(
      ['multipart/form-data', 'form'],
      ['application/x-www-form-urlencoded', 'urlencoded'],
      ['text/plain', 'json'],
      [null, 'json'],
    );
    cases.push(
      fc.tuple(base, notJson).map(([r, [contentType, encoding]]) => ({
        ...r,
        kind: 'not-json' as const,
        body: { ...r.body!, contentType, encoding },
      })),
    );
    cases.push(base.map((r) => ({ ...r, kind: 'too-large' as const, body: { ...r.body!, encoding: 'padded' } })));
  }
  if ((op.spec.security ?? []).length > 0) {
    cases.push(base.map((r) => ({ ...r, kind: 'no-auth' as const, credential: null })));
    const bearer = (op.spec.security ?? []).some((requirement) => 'bearerAuth' in requirement);
    if (bearer)
      cases.push(
        base.map((r) => ({
          ...r,
          kind: 'bad-auth' as const,
          credential: { scheme: 'bearerAuth', value: planner.unknownKey },
        })),
      );
  }
  // Half valid requests, so every documented success is answered and checked many times.
  const all = fc.oneof(
    { weight: Math.max(1, cases.length), arbitrary: valid },
    ...cases.map((arbitrary) => ({ weight: 1, arbitrary })),
  );
  return all.map((plan) => Object.assign(plan, { [fc.toStringMethod]: () => describePlan(plan) }));
}

const short = (value: unknown) => {
  const text =
    typeof value === 'string'
      ? value
      : value instanceof Uint8Array
        ? `<${value.byteLength} bytes>`
        : JSON.stringify(value);
  return text === undefined ? 'undefined' : text.length > 80 ? `${text.slice(0, 80)}…(${text.length})` : text;
};
const textOf = (value: Text) => (typeof value === 'string' ? short(value) : `<${value.label}>`);

/** The plan in one line, long values cut: fast-check prints it as the counterexample. */
function describePlan(plan: PlannedRequest): string {
  const params = plan.params.map((p) => `${p.in} ${p.name}=${textOf(p.value)}`).join(', ');
  const credential = plan.credential ? `${plan.credential.scheme}=${textOf(plan.credential.value)}` : 'no credential';
  const body = plan.body
    ? `${plan.body.encoding} ${plan.body.contentType ?? '(no type)'} ${short(plan.body.value)}`
    : 'no body';
  return `${plan.kind}${plan.broken ? ` (${plan.broken})` : ''}: ${params || 'no params'}; ${credential}; ${body}`;
}
