// kms over awsJson1.1.
import { jsonService } from '../protocols.js';

export const kms = jsonService({
  signingName: 'kms',
  targetPrefix: 'TrentService',
  operations: {},
});
