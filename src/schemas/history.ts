// The report history's answers: a connection's runs and the diff of two reports.
import Type from 'typebox';
import { CAPABILITY_STATUSES, OVERALL_STATUSES, ReportSchema } from './report.js';

/** A run's id, as the path parameters that name a stored report accept it. */
export const RUN_ID = { type: 'string', pattern: '^[A-Za-z0-9-]{1,64}$' } as const;
const Status = Type.Unsafe<(typeof OVERALL_STATUSES)[number]>({ type: 'string', enum: [...OVERALL_STATUSES] });
const CapabilityStatus = Type.Unsafe<(typeof CAPABILITY_STATUSES)[number] | null>({ type: ['string', 'null'], enum: [...CAPABILITY_STATUSES, null] });

const RunSummarySchema = Type.Object({
  id: Type.String(),
  startedAt: Type.String({ format: 'date-time' }),
  status: Status,
  durationMs: Type.Integer(),
  apiKeyLabel: Type.Optional(Type.String({ description: 'The API key that ran it: `key:` and the first 8 hex digits of its SHA-256' })),
  fingerprint: Type.String(),
});

export const RunsPageSchema = Type.Object(
  {
    fingerprint: Type.String(),
    runs: Type.Array(RunSummarySchema),
    next: Type.Optional(Type.String({ description: 'Cursor of the next (older) page; absent on the last page' })),
  },
  { $id: 'RunsPage', description: "A connection's stored runs, newest first" },
);

const RunRef = Type.Object({ id: Type.String(), startedAt: Type.String({ format: 'date-time' }), status: Status });

export const ReportDiffSchema = Type.Object(
  {
    from: RunRef,
    to: RunRef,
    worse: Type.Boolean({ description: 'The overall status or a capability got worse, or an action is newly missing' }),
    capabilities: Type.Array(Type.Object({ id: Type.String(), from: CapabilityStatus, to: CapabilityStatus }), { description: 'Capabilities whose status changed (null: not in that report)' }),
    actions: Type.Object({
      newlyMissing: Type.Array(Type.String(), { description: 'Missing in `to`, not in `from`' }),
      newlyGranted: Type.Array(Type.String(), { description: 'Proven granted in `to` (a probe using it passed), not in `from`' }),
    }),
    findings: Type.Object({ added: ReportSchema.properties.findings, gone: ReportSchema.properties.findings }),
  },
  { $id: 'ReportDiff', description: 'What changed from the report `id` to the report `otherId`' },
);
