import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import { usageFactsOf } from '../../shared/adapters/dynamodb/usage-stream.ts';
import { logger, metrics } from '../../shared/observability/powertools.ts';
import { traced } from '../../shared/observability/tracer.ts';
import { readConfig } from '../../shared/runtime/config.ts';
import { streamProjections as routingProjections } from '../../shared/runtime/stream-aggregates.ts';
import { usageProjection } from '../../shared/runtime/usage-wiring.ts';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { ItemChange } from '../../shared/runtime/stream-aggregates.ts';

/** One projection of the table's stream: what it does with one record. */
type StreamProjection = (record: DynamoDBRecord) => Promise<void>;

let projections: StreamProjection[] | undefined;

/**
 * The aggregates fed by the table's stream, in one function (DynamoDB advises at most two consumers per
 * stream; the store sweep is the other): each projection sees every record. The usage ledger and routing's delivery statistics.
 */
function streamProjections(): StreamProjection[] {
  if (projections) return projections;
  const config = readConfig();
  const documents = createDocumentClient(
    config.dynamoDbEndpoint ? { endpoint: config.dynamoDbEndpoint } : {},
  );
  const usage = usageProjection(documents, config.tableName);
  const routing = routingProjections(config);
  projections = [
    async (record) => {
      for (const fact of usageFactsOf(record)) await usage.apply(fact);
    },
    async (record) => {
      const change = changeOf(record);
      if (change) for (const projection of routing) await projection.project([change]);
    },
  ];
  return projections;
}

const image = (value: Record<string, unknown> | undefined) =>
  value ? unmarshall(value as Record<string, AttributeValue>) : undefined;

/** A stream record as routing's delivery statistics read it (shared/runtime/stream-aggregates.ts). */
function changeOf(record: DynamoDBRecord): ItemChange | undefined {
  const eventName = record.eventName;
  if (!eventName) return undefined;
  const oldImage = image(record.dynamodb?.OldImage);
  const newImage = image(record.dynamodb?.NewImage);
  return { eventName, ...(oldImage ? { oldImage } : {}), ...(newImage ? { newImage } : {}) };
}

/**
 * Records in order; the first that fails is reported and the ones after it are left, so Lambda retries
 * from there and the records before it are not counted again. Past the retries or the maximum age a
 * record goes to the failure queue, which alarms.
 */
export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(traced())
  .handler(async (event) => {
    const all = streamProjections();
    for (const record of event.Records) {
      try {
        for (const project of all) await project(record);
      } catch (error) {
        logger.error('a stream projection failed; its record is retried', { error });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    return { batchItemFailures: [] };
  });
