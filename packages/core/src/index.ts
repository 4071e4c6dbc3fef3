// @patients/core: the contract (zod schemas) and the pure domain rules of the patients service.
import { z } from 'zod';
import { describeIssue } from './schemas/messages';

// The contract's messages are for people ("bio.date_of_birth must not be in the future"); installing the
// error map here gives every consumer (REST, tRPC, CLI, bot) the same words without repeating them.
z.config({ customError: describeIssue });

export * from './errors';
export * from './rules/defaults';
export * from './rules/index';
export * from './rules/searchKeys';
export * from './schemas/appointment';
export * from './schemas/auth';
export * from './schemas/common';
export * from './schemas/envelope';
export * from './schemas/messages';
export * from './schemas/patient';
export * from './schemas/practice';
export * from './schemas/query';
export * from './schemas/synced';
export * from './schemas/webhooks';
