import { parseS3Uri } from '../preflight/connection.js';
import { type Probe, isCategory } from './types.js';

/**
 * Reads the workgroup's configuration: the output location and encryption Athena will really use
 * (the workgroup's win when it enforces them) and whether queries can run in it at all.
 */
export const athenaWorkgroup: Probe = {
  id: 'athena-workgroup',
  service: 'athena',
  actions: ['athena:GetWorkGroup'],
  informs: ['query-history', 'query-results', 'query-execution', 'encryption'],
  async run(context) {
    const { connection } = context;
    let answer;
    try {
      answer = await context.send('athena:GetWorkGroup', 'GetWorkGroupCommand', { WorkGroup: connection.workgroup });
    } catch (error) {
      // Athena says "WorkGroup x is not found" as an InvalidRequestException: classify makes it not-found.
      if (isCategory(error, 'not-found')) {
        context.finding({
          code: 'WORKGROUP_NOT_FOUND',
          severity: 'high',
          message: `The Athena workgroup "${connection.workgroup}" does not exist in ${connection.region}.`,
          remediation: 'Check the workgroup name and the region of the connection.',
        });
      }
      throw error;
    }
    const workgroup = answer.WorkGroup;
    const configuration = workgroup?.Configuration;
    const result = configuration?.ResultConfiguration;
    const facts = {
      name: workgroup?.Name ?? connection.workgroup,
      state: workgroup?.State ?? 'ENABLED',
      outputLocation: result?.OutputLocation,
      enforced: configuration?.EnforceWorkGroupConfiguration === true,
      encryption: result?.EncryptionConfiguration?.EncryptionOption
        ? { option: result.EncryptionConfiguration.EncryptionOption, kmsKey: result.EncryptionConfiguration.KmsKey }
        : undefined,
      acl: result?.AclConfiguration?.S3AclOption,
      expectedBucketOwner: result?.ExpectedBucketOwner,
      managedResults: configuration?.ManagedQueryResultsConfiguration?.Enabled === true,
      managedResultsKmsKey: configuration?.ManagedQueryResultsConfiguration?.EncryptionConfiguration?.KmsKey,
    };
    context.facts.workgroup = facts;

    if (facts.state === 'DISABLED') {
      context.finding({
        code: 'WORKGROUP_DISABLED',
        severity: 'high',
        message: `The Athena workgroup "${facts.name}" is disabled: every query in it is rejected.`,
        remediation: `Enable it (aws athena update-work-group --work-group ${facts.name} --state ENABLED) or use another workgroup.`,
      });
    }
    const given = connection.outputLocation;
    if (facts.enforced && facts.outputLocation && given && parseS3Uri(facts.outputLocation).uri !== given.uri) {
      context.finding({
        code: 'WORKGROUP_ENFORCED_LOCATION',
        severity: 'medium',
        message: `The workgroup "${facts.name}" enforces its own output location ${facts.outputLocation}; results will not go to ${given.uri} as the connection says.`,
        remediation: 'Use the workgroup\'s output location in the connection (and grant access to it), or turn off "Override client-side settings" on the workgroup.',
      });
    }
    if (facts.encryption?.option.endsWith('KMS')) {
      context.finding({
        code: 'WORKGROUP_ENCRYPTION',
        severity: 'info',
        message: `The workgroup encrypts query results with ${facts.encryption.option}${facts.encryption.kmsKey ? ` (key ${facts.encryption.kmsKey})` : ''}: the connection needs kms:GenerateDataKey and kms:Decrypt on that key.`,
        remediation: 'Grant kms:GenerateDataKey and kms:Decrypt on the key to the connection\'s identity (identity policy and key policy).',
      });
    }
    return `${facts.state}${facts.enforced ? ', enforces its configuration' : ''}${facts.outputLocation ? `, output ${facts.outputLocation}` : ''}`;
  },
};
