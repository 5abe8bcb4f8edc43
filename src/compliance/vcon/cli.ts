// `earshot verify-export FILE [--public-key KEY.pem] [--json]`: the offline check of an export package. Needs no
// database, no configuration and no network. Exit 0: intact and signed; 1: it does not hold; 2: a wrong call.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { verifyExport } from './verify.ts';

export const VERIFY_EXPORT_USAGE = 'earshot verify-export FILE [--public-key KEY.pem] [--json]';

export async function verifyExportCommand(argv: string[], log: (line: string) => void = (s) => console.log(s)): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { 'public-key': { type: 'string' }, json: { type: 'boolean' } } });
  } catch (err) {
    log(`${(err as Error).message}\nUsage: ${VERIFY_EXPORT_USAGE}`);
    return 2;
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length) {
    log(`Usage: ${VERIFY_EXPORT_USAGE}`);
    return 2;
  }
  let publicKeyPem: string | undefined;
  const keyFile = parsed.values['public-key'];
  if (keyFile) {
    try {
      publicKeyPem = fs.readFileSync(keyFile, 'utf8');
    } catch (err) {
      log(`Cannot read the public key ${keyFile}: ${(err as Error).message}`);
      return 2;
    }
  }
  const r = await verifyExport(file, { publicKeyPem });
  if (parsed.values.json) {
    log(JSON.stringify(r, null, 2));
    return r.ok ? 0 : 1;
  }
  if (r.ok) {
    log(
      `${file}: verified — export ${r.exportId} of ${r.createdAt}, ${r.conversations} conversation(s), ${r.files} file(s), signed with key ${r.keyId}` +
        (r.pinned ? ' (the pinned key)' : " (the key the package carries: pin the organisation's key with --public-key to prove who signed it)"),
    );
    return 0;
  }
  log(`${file}: NOT verified (${r.problems.length} problem(s))`);
  for (const p of r.problems) log(`  - ${p}`);
  return 1;
}
