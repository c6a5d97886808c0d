import type { Body, CaseKind, Document, Operation, PlannedRequest, ResponseObject, Text } from './requests.ts';
import type { Schema, schemaValidator } from './schema-values.ts';

/** A request as it went on the wire, for the report of a failure. */
export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

type Payload = NonNullable<RequestInit['body']>;

const resolve = async (value: Text, body: unknown) => (typeof value === 'string' ? value : await value.late(body));

function encodeBody(body: Body, tooLargeBytes: number): Payload {
  const { value, encoding } = body;
  switch (encoding) {
    case 'raw':
    case 'malformed':
      return value as string | Uint8Array;
    case 'json':
      return JSON.stringify(value);
    case 'padded': {
      const json = JSON.stringify(value);
      return json + ' '.repeat(Math.max(0, tooLargeBytes - json.length));
    }
    case 'form':
    case 'urlencoded': {
      const fields = Object.entries((value ?? {}) as Record<string, unknown>).map(([k, v]): [string, string] => [
        k,
        typeof v === 'string' ? v : JSON.stringify(v),
      ]);
      if (encoding === 'urlencoded') return new URLSearchParams(fields).toString();
      const form = new FormData();
      for (const [k, v] of fields) form.append(k, v);
      return form;
    }
  }
}

const describeBody = (body: Payload | undefined): string => {
  if (body === undefined) return '';
  if (body instanceof FormData) return `multipart: ${JSON.stringify([...body.entries()])}`;
  if (body instanceof Uint8Array)
    return `${body.byteLength} bytes: ${Buffer.from(body.subarray(0, 48)).toString('hex')}`;
  const text = String(body);
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text;
};

/** Builds the request of a plan against the document's security schemes and sends it. */
export async function send(doc: Document, op: Operation, plan: PlannedRequest, baseUrl: string, tooLargeBytes: number) {
  const bodyValue = plan.body?.value;
  let path = op.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const param of plan.params) {
    const value = await resolve(param.value, bodyValue);
    if (param.in === 'path') path = path.replace(`{${param.name}}`, encodeURIComponent(value));
    else if (param.in === 'query') query.append(param.name, value);
    else headers[param.name] = value;
  }
  if (plan.credential) {
    const scheme = doc.components?.securitySchemes?.[plan.credential.scheme];
    const value = await resolve(plan.credential.value, bodyValue);
    if (scheme?.type === 'http') headers.authorization = `Bearer ${value}`;
    else if (scheme?.in === 'header') headers[scheme.name] = value;
    else if (scheme?.in === 'query') query.append(scheme.name, value);
  }
  let body: Payload | undefined;
  if (plan.body) {
    body = encodeBody(plan.body, tooLargeBytes);
    // FormData sets its own multipart type (with the boundary); null sends none at all.
    if (plan.body.contentType && plan.body.encoding !== 'form') headers['content-type'] = plan.body.contentType;
    if (plan.body.contentType === null && typeof body === 'string') body = new TextEncoder().encode(body);
  }
  const search = query.size > 0 ? `?${query}` : '';
  const url = `${baseUrl}${path}${search}`;
  const shownUrl = url.length > 400 ? `${url.slice(0, 400)}… (${url.length} chars)` : url;
  const sent: SentRequest = { method: op.method.toUpperCase(), url: shownUrl, headers, body: describeBody(body) };
  // A redirect is the operation's answer (documented with its Location), not a step to follow.
  const response = await fetch(url, { method: sent.method, headers, body, redirect: 'manual' });
  return { sent, response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

/** Statuses a request that breaks this rule must get, whatever else the operation documents. */
const EXPECTED: Partial<Record<CaseKind, (status: number) => boolean>> = {
  'bad-param': (s) => s >= 400 && s < 500,
  'bad-body': (s) => s >= 400 && s < 500,
  'bad-json': (s) => s === 400,
  'not-json': (s) => s === 415,
  'too-large': (s) => s === 413,
  'no-auth': (s) => s === 401,
  'bad-auth': (s) => s === 401,
};

/** `type/subtype` of a Content-Type, or of a documented media range (`*\/*`, `text/*`). */
const essence = (contentType: string) => contentType.split(';')[0]!.trim().toLowerCase();
const matches = (range: string, actual: string) => {
  const [type, subtype] = essence(range).split('/');
  const [actualType, actualSubtype] = actual.split('/');
  return (type === '*' || type === actualType) && (subtype === '*' || subtype === actualSubtype);
};

/**
 * A 422 from the schema check itself, not from a rule a schema cannot say (min_price above
 * max_price, a currency the provider lacks): TypeBox words its problems "Expected …".
 */
function isSchemaRefusal(json: unknown): boolean {
  const details = (json as { error?: { details?: unknown } })?.error?.details;
  return Array.isArray(details) && details.some((d) => /^Expected/.test(String((d as { message?: unknown })?.message)));
}

/**
 * What is wrong with an answer, or null: a 5xx, a status the operation does not document,
 * a content type it does not list, a body its schema refuses, a refusal of a valid request
 * by validation, or acceptance of a request that breaks a rule.
 */
export function problemWith(
  op: Operation,
  plan: PlannedRequest,
  response: Response,
  bytes: Uint8Array,
  check: ReturnType<typeof schemaValidator>,
): string | null {
  const status = response.status;
  if (status >= 500) return `answered ${status}`;
  const documented: ResponseObject | undefined =
    op.spec.responses[String(status)] ?? op.spec.responses[`${String(status)[0]}XX`] ?? op.spec.responses.default;
  if (!documented)
    return `status ${status} is not documented (documented: ${Object.keys(op.spec.responses).join(', ')})`;
  const expected = EXPECTED[plan.kind];
  if (expected && !expected(status))
    return `a ${plan.kind} request${plan.broken ? ` (${plan.broken})` : ''} got ${status}`;
  const content = documented.content;
  if (!content)
    return bytes.byteLength === 0
      ? null
      : `status ${status} documents no body but one came (${bytes.byteLength} bytes)`;
  const actual = essence(response.headers.get('content-type') ?? '');
  const media = Object.keys(content).find((range) => matches(range, actual));
  if (!media)
    return `content type "${actual}" is not one of ${Object.keys(content).join(', ')} documented for ${status}`;
  const schema: Schema | undefined = content[media]?.schema;
  if (!actual.endsWith('json')) return null;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return `the ${actual} body is not JSON`;
  }
  if (plan.kind === 'valid' && status === 422 && isSchemaRefusal(json))
    return 'a request valid for the document was refused by the schema check';
  if (!schema) return null;
  const result = check(schema, json);
  return result.valid ? null : `the body does not match the documented schema for ${status}: ${result.errors}`;
}
