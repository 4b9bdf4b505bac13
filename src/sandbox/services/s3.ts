// S3 over restXml, path-style and virtual-hosted.
import { AwsError, type ServiceDefinition } from '../types.js';

export const s3: ServiceDefinition = {
  signingName: 's3',
  protocol: 'rest-xml',
  accessDenied: { code: 'AccessDenied', status: 403 },
  throttling: { code: 'SlowDown', status: 503, message: 'Please reduce your request rate.' },
  serverError: { code: 'InternalError', status: 500, message: 'We encountered an internal error. Please try again.' },
  resolveOperation: () => undefined,
  handle() {
    throw new AwsError('NotImplemented', 'not implemented', 501);
  },
};
