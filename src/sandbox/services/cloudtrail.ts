// cloudtrail over awsJson1.1.
import { jsonService } from '../protocols.js';

export const cloudtrail = jsonService({
  signingName: 'cloudtrail',
  targetPrefix: 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101',
  operations: {},
});
