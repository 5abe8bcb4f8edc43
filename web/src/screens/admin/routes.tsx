import { Navigate, Route } from 'react-router-dom';
import { AdminLayout } from './AdminLayout.tsx';
import { AuditPage } from './audit/AuditPage.tsx';
import { complianceRoutes } from './compliance/routes.tsx';
import { recorderRoutes } from './recorder/routes.tsx';
import { GroupsPage } from './groups/GroupsPage.tsx';
import { InsightsAdminPage } from './insights/InsightsAdminPage.tsx';
import { ImportPage } from './import/ImportPage.tsx';
import { JobsPage } from './jobs/JobsPage.tsx';
import { RolesPage } from './roles/RolesPage.tsx';
import { SettingsPage } from './settings/SettingsPage.tsx';
import { SitesPage } from './sites/SitesPage.tsx';
import { SpeechTagsPage } from './speech-tags/SpeechTagsPage.tsx';
import { TagsAdminPage } from './tags/TagsAdminPage.tsx';
import { UsersPage } from './users/UsersPage.tsx';
import { WebhooksPage } from './webhooks/WebhooksPage.tsx';
import { SsoPage } from './sso/SsoPage.tsx';

export const adminRoutes = (
  <Route path="admin" element={<AdminLayout />}>
    <Route path="users" element={<UsersPage />} />
    <Route path="roles" element={<RolesPage />} />
    <Route path="groups" element={<GroupsPage />} />
    <Route path="sites" element={<SitesPage />} />
    <Route path="tags" element={<TagsAdminPage />} />
    <Route path="speech-tags" element={<SpeechTagsPage />} />
    <Route path="insights" element={<InsightsAdminPage />} />
    <Route path="settings" element={<SettingsPage />} />
    <Route path="webhooks" element={<WebhooksPage />} />
    <Route path="sso" element={<SsoPage />} />
    {complianceRoutes}
    {recorderRoutes}
    <Route path="audit" element={<AuditPage />} />
    <Route path="jobs" element={<JobsPage />} />
    <Route path="import" element={<ImportPage />} />
    <Route path="scorecards" element={<Navigate to="/quality/scorecards" replace />} />
  </Route>
);
