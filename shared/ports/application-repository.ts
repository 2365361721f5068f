import type { Application } from '../domain/applications/application.ts';
import type { Page, PageRequest } from './gateway-repository.ts';

export interface ApplicationRepository {
  /** Conditional on the store existing (same transaction); throws NotFound otherwise. */
  create(application: Application): Promise<void>;
  get(storeId: string, id: string): Promise<Application | undefined>;
  list(storeId: string, page: PageRequest): Promise<Page<Application>>;
  /** Throws VersionMismatch or NotFound. */
  update(next: Application, previous: Application): Promise<void>;
  /** Conditional on the version read; throws VersionMismatch or NotFound. */
  delete(application: Application): Promise<void>;
}
