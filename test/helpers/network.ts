import nock from 'nock';
import { afterAll, beforeAll } from 'vitest';
import { sharedBot } from './bot.ts';

/**
 * For a test file that runs servers: no traffic leaves loopback (nock answers the rest), and the
 * bot is built once, before any test's clock starts.
 */
export function loopbackOnly(): void {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    sharedBot();
  }, 60_000);
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });
}
