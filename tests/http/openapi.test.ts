import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import type { OpenAPI } from 'openapi-types';
import { version } from '../../src/version.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { tempDir } from '../support/env.ts';
import { repoRoot } from '../support/process.ts';

type Operation = {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  requestBody?: unknown;
  responses?: Record<string, unknown>;
};
type Document = {
  openapi: string;
  info: { title?: string; version?: string; license?: { name?: string } };
  servers?: { url: string }[];
  tags?: { name: string }[];
  components?: { securitySchemes?: Record<string, { type: string; scheme?: string }> };
  paths: Record<string, Record<string, Operation>>;
};
type LintProblem = { ruleId: string; severity: 'error' | 'warn'; message: string; location: { pointer: string }[] };

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const redoclyCli = join(repoRoot, 'node_modules/@redocly/cli/bin/cli.js');

function operations(doc: Document) {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ path, method, operation, name: `${method.toUpperCase()} ${path}` })),
  );
}

describe('the OpenAPI document at /swagger/json', () => {
  let running: TestApp;
  let doc: Document;
  beforeAll(async () => {
    running = await startTestApp();
    const response = await fetch(`${running.url}/swagger/json`);
    expect(response.status).toBe(200);
    doc = (await response.json()) as Document;
  });
  afterAll(() => running.stop());

  test('is a valid OpenAPI document (swagger-parser)', async () => {
    // validate() dereferences in place: give it a copy.
    await SwaggerParser.validate(structuredClone(doc) as unknown as OpenAPI.Document);
  });

  test('a nullable enum lets null through: a seller without a payout network matches the document', () => {
    const answer = doc.paths['/api/seller/me']?.get?.responses?.['200'] as {
      content: { 'application/json': { schema: { properties: Record<string, { enum?: unknown[] }> } } };
    };
    expect(answer.content['application/json'].schema.properties.payout_network?.enum).toContain(null);
  });

  test('passes Redocly lint with the recommended ruleset, without errors', async () => {
    const dir = tempDir('techbot-redocly-');
    try {
      const file = join(dir.path, 'openapi.json');
      const config = join(dir.path, 'redocly.yaml');
      await Bun.write(file, JSON.stringify(doc, null, 2));
      await Bun.write(config, 'extends:\n  - recommended\n');
      // Redocly 2 needs Node >= 20.19; Bun runs it whatever Node is installed. Telemetry and
      // the update check are off, and a dead proxy stops any request that would still leave.
      const proc = Bun.spawn([process.execPath, redoclyCli, 'lint', file, '--config', config, '--format=json'], {
        cwd: dir.path,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: dir.path,
          REDOCLY_TELEMETRY: 'off',
          REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
          DO_NOT_TRACK: '1',
          HTTP_PROXY: 'http://127.0.0.1:9',
          HTTPS_PROXY: 'http://127.0.0.1:9',
        },
        stdout: 'pipe',
        stderr: 'pipe',
      });
      const [stdout, stderr] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
      await proc.exited;
      let report: { totals: { errors: number; warnings: number }; problems: LintProblem[] };
      try {
        report = JSON.parse(stdout);
      } catch {
        throw new Error(`redocly printed no JSON report (exit ${proc.exitCode}):\n${stdout}\n${stderr}`);
      }
      const show = (p: LintProblem) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`;
      const warnings = report.problems.filter((p) => p.severity === 'warn').map(show);
      console.log(`redocly lint (recommended): ${report.totals.errors} errors, ${report.totals.warnings} warnings`);
      for (const warning of warnings) console.log(`  warning ${warning}`);
      expect(report.problems.filter((p) => p.severity === 'error').map(show)).toEqual([]);
      expect(report.totals.errors).toBe(0);
    } finally {
      dir.cleanup();
    }
  });

  test('says what the API is: title, version, license, servers, tags, a bearer scheme', () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info.title).toBe('TechBot Marketplace API');
    expect(doc.info.version).toBe(version);
    expect(doc.info.license?.name).toBe('MIT');
    expect(doc.servers?.length).toBeGreaterThan(0);
    expect(doc.servers?.[0]?.url).toBeTruthy();
    const tagNames = (doc.tags ?? []).map((tag) => tag.name);
    expect(tagNames).toEqual(expect.arrayContaining(['Catalog', 'Admin', 'Operations']));
    expect(doc.components?.securitySchemes?.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  test('every operation has a summary, a declared tag, a unique operationId and a declared security', () => {
    const tagNames = new Set((doc.tags ?? []).map((tag) => tag.name));
    const all = operations(doc);
    expect(all.map((o) => o.name)).toEqual(
      expect.arrayContaining([
        'GET /api/categories',
        'GET /api/products',
        'POST /api/products',
        'GET /api/products/{id}',
      ]),
    );
    for (const { name, operation } of all) {
      expect({ name, summary: typeof operation.summary === 'string' && operation.summary.length > 3 }).toEqual({
        name,
        summary: true,
      });
      expect({
        name,
        tags: (operation.tags ?? []).every((tag) => tagNames.has(tag)) && (operation.tags ?? []).length > 0,
      }).toEqual({
        name,
        tags: true,
      });
      expect({ name, security: Array.isArray(operation.security) }).toEqual({ name, security: true });
      for (const requirement of operation.security ?? []) {
        for (const scheme of Object.keys(requirement)) expect(doc.components?.securitySchemes?.[scheme]).toBeDefined();
      }
    }
    const ids = all.map((o) => o.operation.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('an operation declares a credential exactly when the server asks for one, and documents 401', async () => {
    for (const { name, path, method, operation } of operations(doc)) {
      const url = `${running.url}${path.replaceAll(/\{[^}]+\}/g, 'TBF-0000-AAAAAA')}`;
      const response = await fetch(url, {
        method: method.toUpperCase(),
        headers: operation.requestBody ? { 'content-type': 'application/json' } : {},
        body: operation.requestBody ? '{}' : undefined,
      });
      await response.arrayBuffer();
      const needsKey = response.status === 401;
      // A bearer key, or a token of its own (an upload link's, an order's).
      const declaresKey = (operation.security ?? []).some((requirement) => Object.keys(requirement).length > 0);
      expect({ name, declaresKey }).toEqual({ name, declaresKey: needsKey });
      if (needsKey)
        expect({ name, documents401: '401' in (operation.responses ?? {}) }).toEqual({ name, documents401: true });
    }
  });
});
