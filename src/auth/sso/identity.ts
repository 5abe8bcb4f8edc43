// What an identity provider says about the person signing in, and how a sign-in is refused (shared by the OIDC and
// SAML adapters and the login service, so neither adapter imports the service).
import { DomainError } from '../../platform/errors.ts';

export interface ExternalIdentity {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  groups: string[];
}

export class SsoRefusal extends DomainError {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super('SSO_FAILED', message, { reason });
  }
}
