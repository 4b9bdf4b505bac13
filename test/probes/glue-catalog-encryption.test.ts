// glue-catalog-encryption: which key Glue decrypts the Data Catalog with, and with whose rights.
// Modes are the botocore glue model's CatalogEncryptionMode (DISABLED, SSE-KMS,
// SSE-KMS-WITH-SERVICE-ROLE); EncryptionAtRest.CatalogEncryptionServiceRole is "the role that Glue
// assumes to encrypt and decrypt the Data Catalog objects on the caller's behalf".
import { describe, expect, it } from 'vitest';
import { glueCatalogEncryption } from '../../src/probes/glue-catalog-encryption.js';
import { runProbe } from './fake-run.js';

const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1111aaaa-22bb-33cc-44dd-555555eeeeee';
const settings = (EncryptionAtRest: Record<string, string>) => ({ GetDataCatalogEncryptionSettingsCommand: () => ({ DataCatalogEncryptionSettings: { EncryptionAtRest } }) });

describe('glue-catalog-encryption', () => {
  it("names the key with SSE-KMS: Glue decrypts with the caller's rights, so the caller needs kms:Decrypt on it", async () => {
    const run = await runProbe(glueCatalogEncryption, { answers: settings({ CatalogEncryptionMode: 'SSE-KMS', SseAwsKmsKeyId: KEY }) });
    expect(run.facts.catalogKmsKey).toBe(KEY);
    expect(run.sent).toEqual([{ command: 'GetDataCatalogEncryptionSettingsCommand', input: { CatalogId: '123456789012' } }]);
  });

  it("asks the caller for no key with SSE-KMS-WITH-SERVICE-ROLE: Glue's service role uses it", async () => {
    const run = await runProbe(glueCatalogEncryption, {
      answers: settings({ CatalogEncryptionMode: 'SSE-KMS-WITH-SERVICE-ROLE', SseAwsKmsKeyId: KEY, CatalogEncryptionServiceRole: 'arn:aws:iam::123456789012:role/GlueCatalogKeyUser' }),
    });
    expect(run.error).toBeUndefined();
    expect(run.facts.catalogKmsKey).toBeUndefined();
    expect(run.detail).toContain('arn:aws:iam::123456789012:role/GlueCatalogKeyUser');
  });

  it('names no key when the catalog is not encrypted', async () => {
    const run = await runProbe(glueCatalogEncryption, { answers: settings({ CatalogEncryptionMode: 'DISABLED' }) });
    expect(run.facts.catalogKmsKey).toBeUndefined();
  });
});
