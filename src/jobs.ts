// Every background job, collected from the features that declare them (each in its own jobs.ts: name, TypeBox payload
// schema, handler, lease, retries, schedule), and the pipelines that chain them. The platform never imports a feature;
// the composition roots (src/main.ts, the test and bench harnesses) hand this registry to createContext.
import type { AppContext } from './context.ts';
import { JobRegistry } from './platform/jobs/registry.ts';
import type { JobPayloads } from './platform/jobs/types.ts';
import { auditJobs } from './platform/audit/jobs.ts';
import { blobJobs } from './platform/blobs/jobs.ts';
import { dbJobs } from './platform/db/jobs.ts';
import { authJobs } from './auth/jobs.ts';
import { searchJobs } from './search/jobs.ts';
import { mediaJobs } from './media/jobs.ts';
import { speechJobs } from './speech/jobs.ts';
import { speechTagJobs } from './speech/tags/jobs.ts';
import { redactionJobs } from './speech/redaction/jobs.ts';
import { indicatorJobs } from './analytics/indicators/jobs.ts';
import { notifyJobs } from './notify/jobs.ts';
import { webhookJobs } from './notify/webhooks/jobs.ts';
import { responseJobs } from './quality/responses/jobs.ts';
import { subscriptionJobs } from './analytics/subscriptions/jobs.ts';
import { insightsJobs } from './analytics/insights/jobs.ts';
import { importJobs } from './conversations/import/jobs.ts';
import { evaluationJobs } from './quality/evaluations/jobs.ts';
import { momentJobs } from './quality/moments/jobs.ts';
import { autoJobs } from './quality/auto/jobs.ts';
import { vconJobs } from './compliance/vcon/jobs.ts';
import { archiveJobs } from './compliance/archive/jobs.ts';
import { assuranceJobs } from './recorder/assurance/jobs.ts';
import { deletionJobs } from './compliance/deletion/jobs.ts';
import { retentionJobs } from './compliance/retention/jobs.ts';
import { anonymizationJobs } from './compliance/anonymize/jobs.ts';
import { reportJobs } from './reports/jobs.ts';
import { CONVERSATION_PIPELINE } from './conversations/pipeline.ts';

const DEFINITIONS = [
  ...auditJobs,
  ...blobJobs,
  ...dbJobs,
  ...authJobs,
  ...searchJobs,
  ...mediaJobs,
  ...speechJobs,
  ...speechTagJobs,
  ...redactionJobs,
  ...indicatorJobs,
  ...notifyJobs,
  ...webhookJobs,
  ...responseJobs,
  ...subscriptionJobs,
  ...insightsJobs,
  ...importJobs,
  ...evaluationJobs,
  ...momentJobs,
  ...autoJobs,
  ...vconJobs,
  ...anonymizationJobs,
  ...archiveJobs,
  ...assuranceJobs,
  ...deletionJobs,
  ...retentionJobs,
  ...reportJobs,
] as const;

// Compile-time: every payload type a feature declares (JobPayloads) has a registered job, and the other way round.
type Registered = (typeof DEFINITIONS)[number]['type'];
type Unregistered = Exclude<keyof JobPayloads, Registered>;
type Undeclared = Exclude<Registered, keyof JobPayloads>;
const complete: [Unregistered, Undeclared] extends [never, never] ? true : { unregistered: Unregistered; undeclared: Undeclared } = true;
void complete;

/** Throws at start-up when a job lacks a handler or schema, a type is declared twice, or a pipeline names an unknown job. */
export const JOBS = new JobRegistry<AppContext>(DEFINITIONS, [CONVERSATION_PIPELINE]);
