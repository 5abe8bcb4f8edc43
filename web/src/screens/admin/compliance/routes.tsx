// Administration → Compliance routes (issue 12). A shared registry: each owner swaps their tab's element or adds
// sub-routes with a one-line edit. Tabs and their permissions are in sections.ts.
import { Route } from 'react-router-dom';
import { ComplianceLayout } from './ComplianceLayout.tsx';
import { ArchivePage } from './archive/ArchivePage.tsx';
import { ComplianceSetupPage } from './setup/ComplianceSetupPage.tsx';
import { RetentionPage } from './retention/RetentionPage.tsx';
import { HoldsPage } from './holds/HoldsPage.tsx';
import { RecordingPoliciesPage } from './policies/RecordingPoliciesPage.tsx';
import { VconExportsPage } from './exports/VconExportsPage.tsx';

export const complianceRoutes = (
  <Route path="compliance" element={<ComplianceLayout />}>
    {/* C1: which data anonymization removes */}
    <Route path="setup" element={<ComplianceSetupPage />} />
    {/* C2: retention policies, legal holds */}
    <Route path="retention" element={<RetentionPage />} />
    <Route path="holds" element={<HoldsPage />} />
    {/* C3: archive targets */}
    <Route path="archiving" element={<ArchivePage />} />
    {/* C4: recording policies, vCon exports */}
    <Route path="policies" element={<RecordingPoliciesPage />} />
    <Route path="exports" element={<VconExportsPage />} />
  </Route>
);
