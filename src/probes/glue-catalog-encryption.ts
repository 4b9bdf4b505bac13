import type { Probe } from './types.js';

/**
 * Whether the Data Catalog is encrypted at rest, and with whose rights Glue uses the key. With
 * SSE-KMS Glue decrypts catalog objects with the caller's rights, so every Glue read needs
 * kms:Decrypt on that key (AWS Glue Developer Guide, "Encrypting your Data Catalog"). With
 * SSE-KMS-WITH-SERVICE-ROLE Glue assumes CatalogEncryptionServiceRole, "the role that AWS Glue
 * assumes to encrypt and decrypt the Data Catalog objects on the caller's behalf" (Glue API
 * Reference, EncryptionAtRest): the key is that role's business, and the caller needs no right on
 * it. Supporting evidence only: a refused read says so itself (Glue relays KMS's refusal); this
 * names the key its fix must grant.
 */
export const glueCatalogEncryption: Probe = {
  id: 'glue-catalog-encryption',
  service: 'glue',
  actions: ['glue:GetDataCatalogEncryptionSettings'],
  informs: ['metadata'],
  resources: { 'glue:GetDataCatalogEncryptionSettings': 'root-catalog' },
  roles: { metadata: { checkedWith: ['glue:GetDataCatalogEncryptionSettings'] } },
  async run(context) {
    const answer = await context.send('glue:GetDataCatalogEncryptionSettings', 'GetDataCatalogEncryptionSettingsCommand', { CatalogId: context.connection.catalogOwner });
    const atRest = answer.DataCatalogEncryptionSettings?.EncryptionAtRest;
    if (atRest?.CatalogEncryptionMode === 'SSE-KMS-WITH-SERVICE-ROLE') {
      return `the catalog is encrypted${atRest.SseAwsKmsKeyId ? ` with ${atRest.SseAwsKmsKeyId}` : ''}, used by Glue's service role ${atRest.CatalogEncryptionServiceRole ?? '(not named)'}, not by the caller`;
    }
    if (atRest?.CatalogEncryptionMode === 'SSE-KMS' && atRest.SseAwsKmsKeyId) context.facts.catalogKmsKey = atRest.SseAwsKmsKeyId;
    return context.facts.catalogKmsKey ? `the catalog is encrypted with ${context.facts.catalogKmsKey}` : 'the catalog is not encrypted with a KMS key';
  },
};
