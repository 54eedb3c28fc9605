import { describe, expect, it } from 'vitest';
import { redact } from '../src/server/logger.ts';

const cases: [string, string, string[]][] = [
  ['server and VM names', 'backup of srv-app04 and vm-web-02 failed on SQL01', ['srv-app04', 'vm-web-02', 'SQL01']],
  ['a fully qualified host name', 'cannot reach fs01.contoso.local from the MABS server', ['fs01.contoso.local', 'contoso']],
  ['IPv4 and IPv6 addresses', 'proxy 10.20.30.40:8080 and fe80:0:0:0:1ff:fe23:4567:890a', ['10.20.30.40', 'fe80:0:0:0:1ff:fe23:4567:890a']],
  ['GUIDs (job and subscription ids)', 'job 3f1a9c7e-2b44-4d1e-9a0f-6c8b5e7d2a11 failed', ['3f1a9c7e-2b44-4d1e-9a0f-6c8b5e7d2a11']],
  ['Slack tokens', 'my token is xoxb-123-456-abcdef and xapp-1-A1-abc', ['xoxb-123-456-abcdef', 'xapp-1-A1-abc']],
  ['keys and JWTs', 'key=Zm9vYmFyYmF6cXV4cXV1eHh5enp5MTIzNDU2Nzg5MA== jwt eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl', ['Zm9vYmFyYmF6cXV4cXV1eHh5enp5MTIzNDU2Nzg5MA==', 'eyJhbGciOi']],
  ['e-mail addresses and UNC paths', 'ask admin@contoso.com about \\\\fs01\\backup$\\share', ['admin@contoso.com', 'fs01']],
];

describe('log redaction', () => {
  it.each(cases)('replaces %s', (_name, text, secrets) => {
    const out = redact(text);
    for (const secret of secrets) expect(out).not.toContain(secret);
  });

  it('keeps error codes and the words of the error, so that a log line still says what happened', () => {
    expect(redact('Error 34506 UserErrorFsFreezeFailed (ID: 34513) 0x1FC07 on srv-app04')).toBe('Error 34506 UserErrorFsFreezeFailed (ID: 34513) 0x1FC07 on [name]');
  });

  it('keeps a log line short', () => {
    expect(redact('word '.repeat(1000)).length).toBeLessThanOrEqual(160);
  });
});
