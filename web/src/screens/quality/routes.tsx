// The Quality area's routes (issue 11). A shared registry: each owner swaps their tab's element or adds their
// sub-routes with a one-line edit. Tabs and their permissions are in sections.ts.
import { Route } from 'react-router-dom';
import { QualityPage } from './QualityPage.tsx';
import { ScorecardsPage } from './scorecards/ScorecardsPage.tsx';
import { ScorecardBuilderPage } from './scorecards/ScorecardBuilderPage.tsx';
import { MyEvaluationsPage, TeamEvaluationsPage } from './evaluations/EvaluationsQueue.tsx';
import { EvaluationLinkPage } from './evaluations/EvaluationLink.tsx';
import { ResultsPage } from './responses/ResultsPage.tsx';
import { DisputesPage } from './responses/DisputesPage.tsx';
import { QualityReportsPage } from './reports/QualityReportsPage.tsx';
import { CalibrationsPage } from './calibrations/CalibrationsPage.tsx';
import { CalibrationDetailPage } from './calibrations/CalibrationDetailPage.tsx';
import { OfflinePage } from './offline/OfflinePage.tsx';
import { MomentsLibraryPage } from './moments/MomentsLibraryPage.tsx';

export const qualityRoutes = (
  <Route path="quality" element={<QualityPage />}>
    {/* Q2: evaluations I perform, and the team's */}
    <Route path="my" element={<MyEvaluationsPage />} />
    <Route path="team" element={<TeamEvaluationsPage />} />
    <Route path="evaluations/:id" element={<EvaluationLinkPage />} />
    {/* Q3: an agent's results (acknowledge / dispute), and open disputes */}
    <Route path="results" element={<ResultsPage />} />
    <Route path="disputes" element={<DisputesPage />} />
    {/* Q4: calibrations, offline interactions, moments */}
    <Route path="calibrations" element={<CalibrationsPage />} />
    <Route path="calibrations/:id" element={<CalibrationDetailPage />} />
    <Route path="offline" element={<OfflinePage />} />
    <Route path="moments" element={<MomentsLibraryPage />} />
    {/* Q1: scorecards and their builder */}
    <Route path="scorecards" element={<ScorecardsPage />} />
    <Route path="scorecards/:id" element={<ScorecardBuilderPage />} />
    {/* Q5: quality reports */}
    <Route path="reports" element={<QualityReportsPage />} />
  </Route>
);
