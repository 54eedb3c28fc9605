import { describe, expect, it } from 'vitest';
import { MAX_LOGGED_CHARS, redact } from '../src/server/logger.ts';
import { logSink } from './helpers/slack.ts';

/** What a paste may carry that must never reach a log line, each in the text around it. */
const LEAKS: [string, string, string[]][] = [
  ['server and VM names', 'backup of srv-app04 and vm-web-02 failed on SQL01', ['srv-app04', 'vm-web-02', 'SQL01']],
  ['host names with any ending', 'cannot reach fs01.contoso.local, dc1.contoso.de, backup.fabrikam.co.uk or mabs.northwind.internal', ['fs01', 'contoso', 'fabrikam', 'northwind', 'dc1']],
  ['IPv4 addresses', 'proxy 10.20.30.40:8080 and 192.168.1.7', ['10.20.30.40', '192.168.1.7', '8080']],
  ['IPv6 addresses, full and short', 'from fe80:0:0:0:1ff:fe23:4567:890a, 2001:db8::8a2e:370:7334 and fe80::1ff:fe23', ['fe80', '2001:db8', '8a2e', 'fe23']],
  ['GUIDs', 'job 3f1a9c7e-2b44-4d1e-9a0f-6c8b5e7d2a11 in subscription 0b7c4a2e-9d3f-4e6a-8b1c-2d3e4f5a6b7c', ['3f1a9c7e', '6c8b5e7d2a11', '0b7c4a2e', '2d3e4f5a6b7c']],
  ['Slack tokens', 'my token is xoxb-123-456-abcdef and xapp-1-A1-abc and xoxp-9-8-7', ['xoxb-123', 'abcdef', 'xapp-1', 'xoxp-9']],
  ['keys and JWTs', 'key Zm9vYmFyYmF6cXV4cXV1eHh5enp5MTIzNDU2Nzg5MA== jwt eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl', ['Zm9vYmFy', 'eyJhbGciOi', 'c2lnbmF0dXJl']],
  ['SAS signatures', 'https://acct.blob.core.windows.net/c/f.vhd?sv=2021-08-06&sr=b&sig=Xy7%2Bq9Zs0Lk%3D&se=2030-01-01', ['Xy7%2Bq9Zs0Lk', 'acct.blob']],
  ['password= and pwd= values', 'Server=sql;User Id=sa;Password=Winter2024!;Encrypt=yes and net use x: /user:a pwd=hunter2', ['Winter2024', 'hunter2']],
  ['e-mail addresses', 'ask admin@contoso.com or it-ops@fabrikam.co.uk', ['admin@', 'it-ops', 'fabrikam']],
  ['UNC paths', 'copy to \\\\fs01\\backup$\\share\\vm01 failed', ['fs01', 'backup$', 'vm01']],
];

/** Log lines through the real logger, parsed. */
function logged(fields: Record<string, unknown>, message = 'answered'): string {
  const sink = logSink();
  sink.logger.info(fields, message);
  expect(sink.lines).toHaveLength(1);
  return sink.lines[0]!;
}

describe('the logger masks what users paste', () => {
  it.each(LEAKS)('%s, in any field and in the message', (_name, text, secrets) => {
    const lines = [
      logged({ text }),
      logged({ entry: text, nested: { reason: [text] } }),
      logged({ err: new Error(text) }),
      logged({}, `could not answer: ${text}`),
    ].join('\n');
    for (const secret of secrets) expect(lines).not.toContain(secret);
  });

  it('masks before it cuts: a paste that starts with 700 blank characters leaks no fragment', () => {
    const text = `${' '.repeat(700)}\n\t${'\u2003'.repeat(50)}3f1a9c7e-2b44-4d1e-9a0f-6c8b5e7d2a11 10.20.30.40 srv-app04`;
    const line = logged({ text });
    for (const fragment of ['3f1a', '2a11', '10.20', '30.40', 'srv-app']) expect(line).not.toContain(fragment);
    expect(JSON.parse(line).text).toBe('[guid] [ip] [name]');
  });

  it('caps every user-supplied field: a 500 KB feedback entry is a short line', () => {
    const line = logged({ feedback: 'down', entry: 'x'.repeat(500 * 1024), text: 'y '.repeat(300_000) }, 'feedback');
    expect(line.length).toBeLessThan(1000);
    expect(JSON.parse(line).entry.length).toBeLessThanOrEqual(MAX_LOGGED_CHARS);
  });

  it.each([
    'ExtensionFailedVssWriterInBadState UserErrorFsFreezeFailed on [name]',
    'UserErrorMigrationFromTrustedLaunchVMToNonTrustedVMNotAllowed',
    'Error 34506 (ID: 34513) 0x80070005 0x1FC07',
  ])("leaves the product's error codes readable: %s", (expected) => {
    expect(JSON.parse(logged({ text: expected.replace('[name]', 'srv-app04') })).text).toBe(expected);
  });

  it('keeps the ids that say whose reply a line is about', () => {
    const line = JSON.parse(logged({ channel: 'C0123ABC', thread: '1700000001.000100', messageId: '1700000001.000100', conversation: '19:abc@thread.tacv2;messageid=17' }, 'reply lost'));
    expect(line).toMatchObject({ channel: 'C0123ABC', thread: '1700000001.000100', messageId: '1700000001.000100', conversation: '19:abc@thread.tacv2;messageid=17' });
  });

  it('prints no stack trace', () => {
    const error = new Error('boom');
    expect(logged({ err: error })).not.toContain('at ');
  });

  it('redact() folds white space and cuts to the limit', () => {
    expect(redact('word '.repeat(1000)).length).toBeLessThanOrEqual(MAX_LOGGED_CHARS);
    expect(redact('a\t\tb\n\nc')).toBe('a b c');
  });
});
