import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger, metrics } from '../../shared/observability/powertools.ts';
import { readConfig } from '../../shared/runtime/config.ts';
import {
  streamProjections,
  type ItemChange,
  type Projection,
} from '../../shared/runtime/stream-aggregates.ts';

let projections: Projection[] | undefined;

const image = (value: Record<string, unknown> | undefined) =>
  value ? unmarshall(value as Record<string, AttributeValue>) : undefined;

function changeOf(record: DynamoDBRecord): ItemChange | undefined {
  const eventName = record.eventName;
  if (!eventName) return undefined;
  const oldImage = image(record.dynamodb?.OldImage);
  const newImage = image(record.dynamodb?.NewImage);
  return { eventName, ...(oldImage ? { oldImage } : {}), ...(newImage ? { newImage } : {}) };
}

/**
 * The table stream's aggregates: each batch goes through every projection (counters summed on read, at
 * most 2 minutes behind). A failing batch is reported whole, so Lambda retries it (bisecting); records
 * still failing go to the failure queue, which alarms. Counters are increments, so a retried batch may
 * count a record twice: the statistics are estimates for routing, and the alarm shows when it happens.
 */
export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    projections ??= streamProjections(readConfig());
    const changes = event.Records.map(changeOf).filter((c): c is ItemChange => c !== undefined);
    try {
      await Promise.all(projections.map((projection) => projection.project(changes)));
      return { batchItemFailures: [] };
    } catch (error) {
      logger.error('a table-stream aggregate failed; the batch is retried', { error });
      const first = event.Records[0]?.dynamodb?.SequenceNumber;
      return { batchItemFailures: first ? [{ itemIdentifier: first }] : [] };
    }
  });
