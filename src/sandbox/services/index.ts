import type { ServiceDefinition } from '../types.js';
import { athena } from './athena.js';
import { cloudtrail } from './cloudtrail.js';
import { glue } from './glue.js';
import { kms } from './kms.js';
import { lakeformation } from './lakeformation.js';
import { s3 } from './s3.js';
import { sts } from './sts.js';

/** Every simulated service, keyed at run time by its SigV4 signing name. */
export const SERVICES: readonly ServiceDefinition[] = [sts, glue, athena, cloudtrail, s3, kms, lakeformation];
