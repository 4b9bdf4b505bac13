import type { Probe } from './types.js';

/**
 * Whether the Data Catalog is encrypted at rest, and with which key: Glue then decrypts catalog
 * objects with the caller's rights, so every Glue read needs kms:Decrypt on that key (AWS Glue
 * Developer Guide, "Encrypting your Data Catalog"). Supporting evidence only: a refused read says
 * so itself (Glue relays KMS's refusal); this names the key its fix must grant.
 */
export const glueCatalogEncryption: Probe = {
  id: 'glue-catalog-encryption',
  service: 'glue',
  actions: ['glue:GetDataCatalogEncryptionSettings'],
  informs: ['metadata'],
  async run(context) {
    const answer = await context.send('glue:GetDataCatalogEncryptionSettings', 'GetDataCatalogEncryptionSettingsCommand', { CatalogId: context.connection.catalogOwner });
    const atRest = answer.DataCatalogEncryptionSettings?.EncryptionAtRest;
    if (atRest?.CatalogEncryptionMode?.startsWith('SSE-KMS') && atRest.SseAwsKmsKeyId) context.facts.catalogKmsKey = atRest.SseAwsKmsKeyId;
    return context.facts.catalogKmsKey ? `the catalog is encrypted with ${context.facts.catalogKmsKey}` : 'the catalog is not encrypted with a KMS key';
  },
};
