// The signed-in user, available to every screen inside the shell.
import { createContext, useContext } from 'react';
import type { Me } from '../../api/types.ts';

export const CurrentUserContext = createContext<Me | null>(null);

export function useCurrentUser(): Me {
  const me = useContext(CurrentUserContext);
  if (!me) throw new Error('useCurrentUser() used outside <RequireAuth>');
  return me;
}

/** Purely cosmetic: the server enforces every permission. */
export const can = (me: Me, ...anyOf: string[]) => anyOf.some((p) => me.permissions.includes(p));
