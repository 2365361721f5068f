import { tmpdir } from 'node:os';
import { readConfig } from '../../shared/runtime/config.ts';
import { createContext, type Context } from '../../shared/runtime/context.ts';

/**
 * A context for unit tests of handlers: a configuration that needs no AWS, in which the test `provide`s
 * fakes of the features the handler uses (nothing else is built unless the handler asks for it).
 */
export function unitContext(): Context {
  return createContext(readConfig({ TABLE_NAME: 'unit-tests', SECRET_STORE: 'file', DATA_DIR: tmpdir() }));
}
