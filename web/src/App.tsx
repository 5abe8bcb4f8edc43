import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { createQueryClient } from './queryClient.ts';
import { buildTheme } from './theme.ts';
import { LoginPage } from './screens/login/LoginPage.tsx';
import { AppLayout } from './screens/shell/AppLayout.tsx';
import { RequireAuth } from './screens/shell/RequireAuth.tsx';
import { NotFoundPage } from './screens/shell/NotFoundPage.tsx';
import { HomeRedirect } from './screens/shell/HomeRedirect.tsx';
import { ConversationsPage } from './screens/conversations/ConversationsPage.tsx';
import { ConversationDetailPage } from './screens/conversations/ConversationDetailPage.tsx';
import { qualityRoutes } from './screens/quality/routes.tsx';
import { ReportsPage } from './screens/reports/ReportsPage.tsx';
import { DashboardPage } from './screens/dashboard/DashboardPage.tsx';
import { LivePage } from './screens/live/LivePage.tsx';
import { adminRoutes } from './screens/admin/routes.tsx';
import { NotificationsPage } from './screens/profile/NotificationsPage.tsx';

export function App() {
  const [queryClient] = useState(createQueryClient);
  const { t, i18n } = useTranslation();
  // The theme holds translated labels: rebuild it when the language changes, whether or not `t` changes identity.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const theme = useMemo(() => buildTheme(t), [t, i18n.language]);
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <Routes>
            <Route path="/login" element={<LoginPage />} />
            <Route
              element={
                <RequireAuth>
                  <AppLayout />
                </RequireAuth>
              }
            >
              <Route index element={<HomeRedirect />} />
              <Route path="conversations" element={<ConversationsPage />} />
              <Route path="conversations/:id" element={<ConversationDetailPage />} />
              {qualityRoutes}
              <Route path="dashboard" element={<DashboardPage />} />
              <Route path="reports" element={<ReportsPage />} />
              <Route path="live" element={<LivePage />} />
              <Route path="profile/notifications" element={<NotificationsPage />} />
              {adminRoutes}
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  );
}
