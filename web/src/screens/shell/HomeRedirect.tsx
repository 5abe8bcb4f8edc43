import { Navigate } from 'react-router-dom';
import { useCurrentUser } from './currentUser.tsx';
import { homePathFor } from './navItems.tsx';

/** "/": the first screen this user may use (the dashboard for those who may see reports). */
export function HomeRedirect() {
  return <Navigate to={homePathFor(useCurrentUser())} replace />;
}
