import fs from 'node:fs';
import path from 'node:path';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { TestApp } from '@app/testing';
import { JOB_BROWSER_ROUTE } from '../../apps/admin-dashboard/src/job-browser/job-browser-auth.hook';
import type { AppName } from './fuzz-stack';

/** One operation of one app, as its OpenAPI document states it. */
export interface Operation {
  app: AppName;
  method: string;
  /** The path template, `{id}` style. */
  path: string;
  pathParams: string[];
  queryParams: string[];
  /** Properties of the JSON body, when there is one. */
  bodyProps: string[] | undefined;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * bull-board's routes are plain Fastify routes, absent from the app's
 * OpenAPI document: read them from the installed package's route table, so
 * a new bull-board action is in the matrix as soon as it is installed.
 */
function jobBrowserRoutes(): Array<[string, string]> {
  const source = fs.readFileSync(
    path.join(path.dirname(require.resolve('@bull-board/api')), 'routes.js'),
    'utf8',
  );
  const routes = [...source.matchAll(/method: '(\w+)',\s*route: '([^']+)'/g)].map((m): [string, string] => [
    m[1],
    `${JOB_BROWSER_ROUTE}${m[2].replace(/:(\w+)/g, '{$1}')}`,
  ]);
  if (routes.length < 20) throw new Error('bull-board route table not found: update test/fuzz/operations.ts');
  return routes;
}

/** The app's own OpenAPI document, built from its modules as /docs serves it. */
export function openApiDocument(app: TestApp): OpenAPIObject {
  return SwaggerModule.createDocument(app.app, new DocumentBuilder().addBearerAuth().build());
}

export function operationsOf(name: AppName, app: TestApp): Operation[] {
  const document = openApiDocument(app);
  const operations: Operation[] = [];
  for (const [route, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const parameters = (operation.parameters ?? []) as Array<{ in: string; name: string }>;
      const body = operation.requestBody as
        { content?: Record<string, { schema?: { $ref?: string } }> } | undefined;
      const ref = body?.content?.['application/json']?.schema?.$ref;
      const schema = ref ? document.components?.schemas?.[ref.split('/').pop()!] : undefined;
      operations.push({
        app: name,
        method: method.toUpperCase(),
        path: route,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        bodyProps: body
          ? Object.keys((schema as { properties?: object } | undefined)?.properties ?? {})
          : undefined,
      });
    }
  }
  if (name === 'admin') {
    for (const [method, path] of jobBrowserRoutes()) {
      operations.push({
        app: name,
        method: method.toUpperCase(),
        path,
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]),
        queryParams: [],
        bodyProps: undefined,
      });
    }
  }
  // Only what the app really serves (bull-board registers some routes only with options Feedline leaves off).
  const fastify = app.app.getHttpAdapter().getInstance();
  return operations.filter((op) =>
    fastify.hasRoute({ method: op.method, url: op.path.replace(/\{(\w+)\}/g, ':$1') }),
  );
}
