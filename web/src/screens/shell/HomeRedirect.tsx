import { Navigate } from 'react-router-dom';
import { useCurrentUser } from './currentUser.tsx';
import { homePathFor } from './navItems.tsx';

/** "/": the first screen this user may use. */
export function HomeRedirect() {
  return <Navigate to={homePathFor(useCurrentUser())} replace />;
}
