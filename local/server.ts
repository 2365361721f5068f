import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyResultV2, APIGatewayRequestAuthorizerEventV2, Context } from 'aws-lambda';
import { problemResponse } from '../shared/http/problem.ts';
import type { LambdaHttpHandler } from '../shared/http/http-handler.ts';
import { apiKeyAuthorizer, routes as routeTable, type Route } from '../shared/routes.ts';
import { apiGatewayResponse } from './api-gateway-response.ts';
import { lambdaContext, toAuthorizerEvent, toLambdaEvent } from './lambda-event.ts';
import { serveConsole } from './console-site.ts';
import { localRequests } from '../shared/runtime/in-flight-requests.ts';

/** API Gateway refuses bodies over 10 MB itself; locally a smaller cap keeps memory bounded. */
const MAX_READ_BYTES = 1024 * 1024;

interface LoadedRoute {
  route: Route;
  pattern: RegExp;
  params: string[];
  handler: LambdaHttpHandler;
}

export interface LocalServerOptions {
  projectRoot: string;
  adminToken: string;
  routes?: readonly Route[];
}

function compile(path: string): { pattern: RegExp; params: string[] } {
  const params: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param?.[1]) return segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      params.push(param[1]);
      return '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), params };
}

type AuthorizerHandler = (
  event: APIGatewayRequestAuthorizerEventV2,
  context: Context,
) => Promise<{ isAuthorized: boolean; context?: Record<string, unknown> }>;

async function loadHandler<T>(projectRoot: string, file: string): Promise<T> {
  const module = (await import(pathToFileURL(resolve(projectRoot, file)).href)) as { handler?: T };
  if (typeof module.handler !== 'function') throw new Error(`${file} does not export handler`);
  return module.handler;
}

async function loadRoutes(projectRoot: string, table: readonly Route[]): Promise<LoadedRoute[]> {
  return Promise.all(
    table.map(async (route) => ({
      route,
      ...compile(route.path),
      handler: await loadHandler<LambdaHttpHandler>(projectRoot, route.handler),
    })),
  );
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Writes the answer as API Gateway would (see api-gateway-response.ts), with its request id header. */
function send(response: ServerResponse, result: APIGatewayProxyResultV2, requestId: string): void {
  const answer = apiGatewayResponse(result);
  response.statusCode = answer.status;
  const cookies = answer.headers.filter(([name]) => name === 'set-cookie').map(([, value]) => value);
  for (const [name, value] of answer.headers) if (name !== 'set-cookie') response.setHeader(name, value);
  if (cookies.length > 0) response.setHeader('set-cookie', cookies);
  response.setHeader('apigw-requestid', requestId);
  response.end(answer.body);
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_READ_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Plays API Gateway locally: matches the route table, authorizes as the deployed API would (admin
 * token here instead of IAM), and invokes the very handler module Lambda runs.
 */
export async function createLocalServer(options: LocalServerOptions): Promise<Server> {
  const loaded = await loadRoutes(options.projectRoot, options.routes ?? routeTable);
  const authorizer = await loadHandler<AuthorizerHandler>(options.projectRoot, apiKeyAuthorizer.handler);
  const adminDigest = digest(options.adminToken);

  const isAdmin = (request: IncomingMessage) => {
    const match = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '');
    return match?.[1] !== undefined && timingSafeEqual(digest(match[1].trim()), adminDigest);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    // API Gateway's timeEpoch: deadlines count from here, before the body is read or the key checked.
    const arrivedAt = new Date();
    if (await serveConsole(request, response)) return;
    const requestId = randomUUID();
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    let matched: { entry: LoadedRoute; values: string[] } | undefined;
    for (const entry of loaded) {
      if (entry.route.method !== method) continue;
      const values = entry.pattern.exec(url.pathname);
      if (values) {
        matched = { entry, values: values.slice(1) };
        break;
      }
    }
    if (!matched) {
      send(
        response,
        problemResponse('not-found', 404, 'Not found', `No route for ${method} ${url.pathname}.`),
        requestId,
      );
      return;
    }
    const { entry, values } = matched;
    if (entry.route.auth === 'admin' && !isAdmin(request)) {
      send(
        response,
        problemResponse(
          'unauthorized',
          401,
          'Unauthorized',
          'The admin API needs Authorization: Bearer <admin token>.',
          {},
          {
            'www-authenticate': 'Bearer',
          },
        ),
        requestId,
      );
      return;
    }
    const pathParameters: Record<string, string> = {};
    try {
      entry.params.forEach((name, i) => (pathParameters[name] = decodeURIComponent(values[i] ?? '')));
    } catch {
      send(response, problemResponse('not-found', 404, 'Not found', 'The path is not valid.'), requestId);
      return;
    }
    const body = await readBody(request);
    if (!body) {
      send(
        response,
        problemResponse('payload-too-large', 413, 'Payload too large', 'The request body is too large.'),
        requestId,
      );
      return;
    }
    const event = toLambdaEvent(request, entry.route, url, pathParameters, body, requestId, arrivedAt);
    if (entry.route.auth === 'api-key') {
      // As API Gateway does: the authorizer's context reaches the route under requestContext.authorizer.lambda.
      const authorizerRoute = { ...entry.route, id: apiKeyAuthorizer.id };
      const verdict = await authorizer(toAuthorizerEvent(event), lambdaContext(authorizerRoute, requestId));
      if (!verdict.isAuthorized) {
        send(
          response,
          problemResponse('forbidden', 403, 'Forbidden', 'The authorizer refused the request.'),
          requestId,
        );
        return;
      }
      Object.assign(event.requestContext, { authorizer: { lambda: verdict.context ?? {} } });
    }
    send(response, await entry.handler(event, lambdaContext(entry.route, requestId)), requestId);
  };

  return createServer((request, response) => {
    // Counted while in flight: a deleted store is swept again once those requests have answered.
    localRequests
      .track(() => handle(request, response))
      .catch((error: unknown) => {
        console.error('local server: unhandled error', error);
        if (!response.headersSent)
          send(response, problemResponse('internal', 500, 'Internal error', 'Unexpected error.'), 'local');
        else response.destroy();
      });
  });
}
