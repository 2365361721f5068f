import {
  applicationParams,
  createApplicationBody,
  updateApplicationBody,
} from '../api/application-schemas.ts';
import { pageQuery } from '../api/common.ts';
import { storeParams } from '../api/common.ts';
import { page } from '../api/page-schema.ts';
import { applicationSchema } from '../api/response-schemas.ts';
import { adminResource } from './admin-resource.ts';
import { defineOperation } from './operation.ts';

const resource = adminResource({
  name: 'applications',
  auditName: 'application',
  path: '/admin/identity-stores/{storeId}/applications',
  idParam: 'applicationId',
  params: applicationParams,
  createBody: createApplicationBody,
  updateBody: updateApplicationBody,
  response: applicationSchema,
  create: {
    summary: 'Create a client application of an identity store, with its own MFA policy or none',
    // Written on condition that the store exists, in the same transaction.
    access: ['config:write', 'stores:check'],
    problems: ['not-found'],
  },
  list: { summary: "List an identity store's applications", problems: ['not-found'] },
  get: { summary: 'Get an application' },
  update: { summary: 'Update an application (JSON Merge Patch)' },
  delete: {
    summary: 'Delete an application and revoke its API keys',
    access: ['config:write', 'api-keys:write'],
  },
});

// The collection routes name the store only.
export const createApplication = defineOperation({ ...resource.create, params: storeParams });
export const listApplications = defineOperation({
  ...resource.list,
  params: storeParams,
  query: pageQuery,
  response: page(applicationSchema),
});
export const getApplication = defineOperation(resource.get);
export const updateApplication = defineOperation(resource.update);
export const deleteApplication = defineOperation(resource.delete);
