import type { z } from 'zod';
import { pageQuery } from '../api/common.ts';
import { page } from '../api/page-schema.ts';
import type { AuditEventType } from '../domain/events/event-types.ts';
import type { ProblemSlug } from '../domain/problems.ts';
import type { Access, AuditSpec, HttpMethod } from './operation.ts';

interface Verb {
  summary: string;
  /** Defaults: `config:read` to read, `config:write` to write. */
  access?: readonly Access[];
  problems?: readonly ProblemSlug[];
}

interface ResourceSpec<P, C, U, R> {
  /** Plural, as route ids use it: `gateways` gives `gateways-create`, `gateways-get`, … */
  name: string;
  /** The collection; items live at `<path>/{<idParam>}`. */
  path: string;
  idParam: string;
  /** The resource as audit event types name it: `gateway` gives `admin.gateway.created|updated|deleted`. */
  auditName?: 'gateway' | 'identity-store' | 'application';
  params: P;
  createBody: C;
  updateBody: U;
  /** The item's representation; lists answer pages of it. */
  response: R;
  create: Verb;
  list: Verb;
  get: Verb;
  update: Verb;
  delete: Verb;
}

const READ: readonly Access[] = ['config:read'];
const WRITE: readonly Access[] = ['config:write'];
const VERB_ACCESS = { create: WRITE, list: READ, get: READ, update: WRITE, delete: WRITE } as const;

/**
 * The five operations of a versioned admin resource, which api.md gives every such resource alike
 * ("as for gateways"): create 201, a paged list, get, a merge-patch update and a delete, both with
 * `If-Match`; an unknown id is `not-found`.
 */
export function adminResource<
  const P extends z.ZodType,
  const C extends z.ZodType,
  const U extends z.ZodType,
  const R extends z.ZodType,
>(spec: ResourceSpec<P, C, U, R>) {
  const item = `${spec.path}/{${spec.idParam}}`;
  const audit = (done: 'created' | 'updated' | 'deleted'): { audit?: AuditSpec } =>
    spec.auditName
      ? { audit: { type: `admin.${spec.auditName}.${done}` as AuditEventType, subject: spec.idParam } }
      : {};
  const base = <M extends HttpMethod>(verb: keyof typeof VERB_ACCESS, method: M, path: string) => {
    const { summary, access = VERB_ACCESS[verb], problems = [] } = spec[verb];
    return { id: `${spec.name}-${verb}`, method, path, auth: 'admin', access, summary, problems } as const;
  };
  // Every item route: an unknown id (or one of another kind) is `not-found`.
  const onItem = <M extends HttpMethod>(verb: 'get' | 'update' | 'delete', method: M) => {
    const operation = base(verb, method, item);
    return { ...operation, params: spec.params, problems: ['not-found', ...operation.problems] } as const;
  };
  return {
    create: {
      ...base('create', 'POST', spec.path),
      body: spec.createBody,
      status: 201,
      response: spec.response,
      ...audit('created'),
    },
    list: { ...base('list', 'GET', spec.path), query: pageQuery, status: 200, response: page(spec.response) },
    get: { ...onItem('get', 'GET'), status: 200, response: spec.response },
    update: {
      ...onItem('update', 'PATCH'),
      body: spec.updateBody,
      status: 200,
      response: spec.response,
      ifMatch: true,
      ...audit('updated'),
    },
    delete: { ...onItem('delete', 'DELETE'), status: 204, ifMatch: true, ...audit('deleted') },
  } as const;
}
