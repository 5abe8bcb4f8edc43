// Administration → Recorder routes (issue 13). A shared registry: each owner swaps their tab's element or adds
// sub-routes with a one-line edit. Tabs and their permissions are in sections.ts.
import { Route } from 'react-router-dom';
import { RecordingHealthPage } from './health/RecordingHealthPage.tsx';
import { RecorderSourcesPage } from './sources/RecorderSourcesPage.tsx';
import { RecorderLayout } from './RecorderLayout.tsx';

export const recorderRoutes = (
  <Route path="recorder" element={<RecorderLayout />}>
    {/* R3: recording health, assurance, recording modes */}
    <Route path="health" element={<RecordingHealthPage />} />
    {/* R1: sources (allow-list) and party rules */}
    <Route path="sources" element={<RecorderSourcesPage />} />
  </Route>
);
