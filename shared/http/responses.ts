import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type HttpResult = APIGatewayProxyStructuredResultV2;

/** Versioned resources answer with an ETag so clients can send it back as `If-Match`. */
export const versioned = <T extends { version: number }>(resource: T) => ({
  body: resource,
  headers: { etag: `"${resource.version}"` },
});
