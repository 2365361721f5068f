import createClient, { type FetchOptions, type FetchResponse, type Middleware } from 'openapi-fetch';
import type { HttpMethod, MediaType, PathsWithMethod, RequiredKeysOf } from 'openapi-typescript-helpers';
import type { components, operations, paths } from './openapi-types.ts';

export type { components, operations, paths } from './openapi-types.ts';
export { operationPaths } from './openapi-types.ts';

/** An RFC 9457 problem answer, as every non-2xx answer of the API is. */
export type Problem = components['schemas']['Problem'];

export interface SmsMfaClientOptions {
  /** The API's address: the local server (`http://127.0.0.1:3000`) or a deployed stage URL. */
  baseUrl: string;
  /** A client API key, for the `/v1` routes: sent as `Authorization: Bearer <key>`. */
  apiKey?: string;
  /**
   * The local server's admin token, for the `/admin` routes: sent as `Authorization: Bearer <token>`.
   * A deployed admin API takes SigV4-signed requests instead: pass a signing `fetch` and no token.
   */
  adminToken?: string;
  /** Sends each request (default: the global `fetch`); a place to sign, log or time out requests. */
  fetch?: (request: Request) => Promise<Response>;
}

/** The operation of `method` on `path`, as the OpenAPI document describes it. */
type Operation<
  Path extends keyof paths,
  Method extends HttpMethod,
> = paths[Path][Method] extends infer Found extends Record<string | number, unknown> ? Found : never;

/** The options of one call of `method` on `path`: its `params` (path, query, header) and `body`. */
export type CallOptions<Path extends keyof paths, Method extends HttpMethod> = FetchOptions<
  Operation<Path, Method>
>;

/** `{ data, response }` on a 2xx answer, `{ error, response }` (the problem) otherwise. */
export type CallResult<Path extends keyof paths, Method extends HttpMethod> = FetchResponse<
  Operation<Path, Method>,
  CallOptions<Path, Method>,
  MediaType
>;

/** The JSON body a call of `method` on `path` sends. */
export type RequestBody<Path extends keyof paths, Method extends HttpMethod> = NonNullable<
  CallOptions<Path, Method>['body']
>;

/** The JSON answer of a successful call of `method` on `path`. */
export type Answer<Path extends keyof paths, Method extends HttpMethod> = NonNullable<
  CallResult<Path, Method>['data']
>;

type JsonContent<T> = T extends { content: { 'application/json': infer Content } } ? Content : never;

/** The JSON body of an operation, by its operationId. */
export type OperationBody<Id extends keyof operations> = JsonContent<
  NonNullable<operations[Id]['requestBody']>
>;

/** The JSON answer of an operation's success, by its operationId. */
export type OperationAnswer<Id extends keyof operations> = {
  [Status in keyof operations[Id]['responses']]: Status extends 200 | 201 | 202
    ? JsonContent<operations[Id]['responses'][Status]>
    : never;
}[keyof operations[Id]['responses']];

/**
 * One HTTP method of the client. Unlike `openapi-fetch`'s own signature, the options are not inferred
 * from the call but read from the path's operation, so that a misspelt body field is an excess
 * property (a type error) rather than an extra one quietly sent.
 */
export type CallMethod<Method extends HttpMethod> = <Path extends PathsWithMethod<paths, Method>>(
  path: Path,
  ...options: RequiredKeysOf<CallOptions<Path, Method>> extends never
    ? [CallOptions<Path, Method>?]
    : [CallOptions<Path, Method>]
) => Promise<CallResult<Path, Method>>;

/** An `openapi-fetch` client typed by the API's `paths`: `GET`, `POST`, `PUT`, `PATCH`, `DELETE`. */
export interface SmsMfaClient {
  GET: CallMethod<'get'>;
  POST: CallMethod<'post'>;
  PUT: CallMethod<'put'>;
  PATCH: CallMethod<'patch'>;
  DELETE: CallMethod<'delete'>;
  /** `openapi-fetch` middleware: to see or change each request and answer. */
  use(...middleware: Middleware[]): void;
}

/**
 * A client whose paths, parameters, bodies and answers are typed from the API's OpenAPI document.
 * Each call resolves to `{ data }` on a 2xx answer and `{ error }` (the problem) otherwise; the headers
 * `idempotency-key` (on the routes that send a code) and `if-match` (on admin writes) are typed
 * parameters: `params: { header: { 'idempotency-key': key } }`.
 */
export function createSmsMfaClient(options: SmsMfaClientOptions): SmsMfaClient {
  if (options.apiKey !== undefined && options.adminToken !== undefined) {
    throw new TypeError('createSmsMfaClient: give apiKey or adminToken, not both');
  }
  const credential = options.apiKey ?? options.adminToken;
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    headers: {
      accept: 'application/json, application/problem+json',
      ...(credential !== undefined ? { authorization: `Bearer ${credential}` } : {}),
    },
  });
  return client as unknown as SmsMfaClient;
}

/** Whether an answer's `error` is a problem document (rather than, say, a proxy's HTML page). */
export function isProblem(error: unknown): error is Problem {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as Problem).type === 'string' &&
    typeof (error as Problem).status === 'number'
  );
}
