// glue over awsJson1.1.
import { jsonService } from '../protocols.js';

export const glue = jsonService({
  signingName: 'glue',
  targetPrefix: 'AWSGlue',
  operations: {},
});
