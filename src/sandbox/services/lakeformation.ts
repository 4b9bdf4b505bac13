// Lake Formation over restJson1.
import { AwsError, type ServiceDefinition } from '../types.js';

export const lakeformation: ServiceDefinition = {
  signingName: 'lakeformation',
  protocol: 'rest-json',
  accessDenied: { code: 'AccessDeniedException', status: 403 },
  throttling: { code: 'ThrottlingException', status: 429, message: 'Rate exceeded' },
  serverError: { code: 'InternalServiceException', status: 500, message: 'Internal service error' },
  resolveOperation: () => undefined,
  handle() {
    throw new AwsError('UnknownOperationException', 'not implemented', 404);
  },
};
