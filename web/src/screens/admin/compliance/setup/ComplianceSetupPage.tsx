import { ComplianceTabPending } from '../ComplianceLayout.tsx';

/** Compliance setup: which data classes anonymization overwrites (filled in by C1). */
export function ComplianceSetupPage() {
  return <ComplianceTabPending />;
}
