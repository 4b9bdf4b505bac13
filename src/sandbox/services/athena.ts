// athena over awsJson1.1.
import { jsonService } from '../protocols.js';

export const athena = jsonService({
  signingName: 'athena',
  targetPrefix: 'AmazonAthena',
  operations: {},
});
