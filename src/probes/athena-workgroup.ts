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
  resources: { 'athena:GetWorkGroup': 'workgroup' },
  roles: { 'query-history': { extended: ['athena:GetWorkGroup'] } },
  async run(context) {
    const { connection } = context;
    let answer;
    try {
      answer = await context.send('athena:GetWorkGroup', 'GetWorkGroupCommand', { WorkGroup: connection.workgroup });
    } catch (error) {
      // Athena says "WorkGroup x is not found" as an InvalidRequestException: classify makes it not-found.
      if (isCategory(error, 'not-found')) {
        context.finding('WORKGROUP_NOT_FOUND', { workgroup: connection.workgroup, region: connection.region });
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
      context.finding('WORKGROUP_DISABLED', { workgroup: facts.name });
    }
    const given = connection.outputLocation;
    if (facts.enforced && facts.outputLocation && given && parseS3Uri(facts.outputLocation).uri !== given.uri) {
      context.finding('WORKGROUP_ENFORCED_LOCATION', { workgroup: facts.name, enforced: facts.outputLocation, requested: given.uri });
    }
    if (facts.encryption?.option.endsWith('KMS')) {
      context.finding('WORKGROUP_ENCRYPTION', { option: facts.encryption.option, kmsKey: facts.encryption.kmsKey });
    }
    return `${facts.state}${facts.enforced ? ', enforces its configuration' : ''}${facts.outputLocation ? `, output ${facts.outputLocation}` : ''}`;
  },
};
