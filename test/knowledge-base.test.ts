import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { articleUrl } from '../src/core/knowledge/links.ts';
import { readKnowledge } from '../src/core/knowledge/load.ts';
import { formatProblem } from '../src/core/knowledge/problems.ts';

const KNOWLEDGE = fileURLToPath(new URL('../knowledge', import.meta.url));
const SEEDS = fileURLToPath(new URL('../../shared/seeds', import.meta.url));
const kb = readKnowledge(KNOWLEDGE);

async function runCli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('the knowledge base', () => {
  it('has no problems', () => {
    expect(kb.problems.map(formatProblem)).toEqual([]);
    expect(kb.entries.length).toBe(kb.files);
  });

  // Codes people paste, taken from the three articles: each must lead to an entry.
  const pasted = [
    '34513', '403', '100050', '407', '230006', '34506', '0x1FC07', '120002', '2013', '4024', '33621', '100110',
    '320001', '400094', '380008', '0x29834', 'UserErrorFsFreezeFailed', 'SalLowDiskSpace',
    'CBPSourceSnapshotFailedReplicaCloningIssue', 'CBPServerRegisteredVaultDontMatchWithCurrent', 'FileFaultFault',
    'ExtensionInstallationFailedMDTC', 'BCMV2VMNotFound', 'ExtensionFailedVssWriterInBadState',
    // new in the current articles
    '0x80070570', '0x8007018b', '100130', '1401', 'UserErrorUnableToOpenMount', 'UserErrorInstantRpNotFound',
    'UserErrorMigrationFromTrustedLaunchVMToNonTrustedVMNotAllowed', 'UserErrorCrossSubscriptionRestoreNotSuppportedForOLR',
    'UserErrorCrossSubscriptionRestoreInvalidTenant', 'UserErrorCrossSubscriptionRestoreNotSuppportedForTrustedLaunchAzureVM',
  ];
  it.each(pasted)('knows the code %s', (code) => {
    const owners = kb.entries.filter((e) => e.codes.some((c) => c.toLowerCase() === code.toLowerCase()));
    expect(owners.map((e) => e.id)).not.toEqual([]);
  });

  it('has ID 100110 for the MARS agent as well as for Azure Backup Server', () => {
    const products = kb.entries.filter((e) => e.codes.includes('100110')).map((e) => e.id).sort();
    expect(products).toEqual(['mabs/servers-must-use-same-vault', 'mars/vault-credentials-from-another-vault']);
  });

  it('answers ID 100050 for both the MARS agent and Azure Backup Server', () => {
    const products = kb.entries.filter((e) => e.codes.includes('100050')).map((e) => e.product).sort();
    expect(products).toEqual(['mabs', 'mars']);
  });

  it('links each entry to its article section in the reader\'s language', () => {
    const entry = kb.entries.find((e) => e.id === 'mars/invalid-vault-credentials');
    expect(entry).toBeDefined();
    expect(articleUrl(entry!, 'en')).toBe(
      'https://learn.microsoft.com/en-us/azure/backup/backup-azure-mars-troubleshoot#invalid-vault-credentials-provided',
    );
    expect(articleUrl(entry!, 'nl')).toContain('/nl-nl/azure/backup/');
    expect(articleUrl(entry!, 'sv')).toContain('/sv-se/azure/backup/');
  });
});

describe.skipIf(!existsSync(SEEDS))('knowledge/sources.yaml against the source articles', () => {
  it('lists every section of every seed file (under its seed anchor), and besides them only sections marked as newer', () => {
    for (const doc of kb.sources?.docs ?? []) {
      const inSeeds = new Set<string>();
      for (const seed of doc.seeds) {
        const text = readFileSync(`${SEEDS}/${seed.file}`, 'utf8');
        expect(text).toContain(`ms.contentlocale: ${seed.locale}`);
        for (const m of text.matchAll(/^#{2,4} <a name="([^"]+)"/gmu)) inSeeds.add(m[1]!);
      }
      const fromSeeds = doc.sections.filter((s) => s.since === undefined).map((s) => s.seedAnchor ?? s.anchor);
      expect(fromSeeds.sort()).toEqual([...inSeeds].sort());
      for (const s of doc.sections.filter((section) => section.since !== undefined)) expect(s.since! > doc.seedDate).toBe(true);
    }
  });
});

describe('kb list --json', () => {
  it('prints one JSON array describing every entry', async () => {
    const { code, out } = await runCli(['kb', 'list', '--json']);
    expect(code).toBe(0);
    const rows = JSON.parse(out) as Record<string, unknown>[];
    expect(rows).toHaveLength(kb.entries.length);
    expect(rows).toContainEqual({
      id: 'mars/invalid-vault-credentials',
      product: 'mars',
      kind: 'error',
      doc: 'backup-azure-mars-troubleshoot',
      anchor: 'invalid-vault-credentials-provided',
      codes: ['34513'],
      languages: ['en', 'nl', 'sv'],
    });
  });

  it('rejects an unknown option with the usage, exit code 2', async () => {
    const { code, err } = await runCli(['kb', 'list', '--yaml']);
    expect(code).toBe(2);
    expect(err).toContain('unknown option --yaml');
    expect(err).toContain('Usage: backup-triage');
  });
});
