import type { ApplicationRepository } from '../../ports/application-repository.ts';
import type { MessageOptions } from './message-options.ts';

export interface ApplicationLines {
  id: string;
  name: string;
  messageOptions: MessageOptions;
}

/**
 * The store's applications that add autofill lines, read page by page. Only a write that could break
 * `maxSegments` reads them, and only when the store has a limit.
 */
export async function applicationsWithLines(
  applications: Pick<ApplicationRepository, 'list'>,
  storeId: string,
): Promise<ApplicationLines[]> {
  const found: ApplicationLines[] = [];
  let nextToken: string | undefined;
  do {
    const page = await applications.list(storeId, { limit: 100, ...(nextToken ? { nextToken } : {}) });
    for (const application of page.items) {
      const options = application.messageOptions;
      if (options && (options.originDomain || options.androidAppHash)) {
        found.push({ id: application.id, name: application.name, messageOptions: options });
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return found;
}
