// A SAML 2.0 identity provider for the tests: a node:http server on 127.0.0.1 that takes the SP's AuthnRequest
// (HTTP-Redirect binding) and answers with the auto-posting form of a signed Response (HTTP-POST binding), signed with
// xml-crypto (what node-saml itself uses). `tamper` lets a test make it misbehave: unsigned, another key, wrong
// audience, recipient or issuer, expired.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';

export function makeKeyPair(cn: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-saml-'));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-days', '2', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`],
    {
      stdio: 'ignore',
    },
  );
  const pair = { key: fs.readFileSync(`${dir}/key.pem`, 'utf8'), cert: fs.readFileSync(`${dir}/cert.pem`, 'utf8') };
  fs.rmSync(dir, { recursive: true, force: true });
  return pair;
}

export interface Tamper {
  unsigned?: boolean;
  otherKey?: { key: string; cert: string };
  audience?: string;
  recipient?: string;
  issuer?: string;
  expired?: boolean;
}

export interface SamlUser {
  nameId: string;
  email: string;
  name: string;
  groups: string[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

export async function startSamlIdp(opts: { entityId: string; keys: { key: string; cert: string } }) {
  const state: { user: SamlUser | null; tamper: Tamper } = { user: null, tamper: {} };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://127.0.0.1');
    const request = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
    const id = /\bID="([^"]+)"/.exec(request)?.[1];
    const acs = /AssertionConsumerServiceURL="([^"]+)"/.exec(request)?.[1];
    const audience = /<(?:\w+:)?Issuer[^>]*>([^<]+)</.exec(request)?.[1];
    if (!id || !acs || !audience || !state.user) {
      res.writeHead(400).end('bad AuthnRequest');
      return;
    }
    const xml = response({ ...opts, inResponseTo: id, acs, audience, user: state.user, tamper: state.tamper });
    const relay = url.searchParams.get('RelayState');
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end(
        `<form method="post" action="${esc(acs)}"><input type="hidden" name="SAMLResponse" value="${Buffer.from(xml).toString('base64')}"/>` +
          `${relay ? `<input type="hidden" name="RelayState" value="${esc(relay)}"/>` : ''}</form>`,
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    ssoUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sso`,
    state,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function response(o: {
  entityId: string;
  keys: { key: string; cert: string };
  inResponseTo: string;
  acs: string;
  audience: string;
  user: SamlUser;
  tamper: Tamper;
}) {
  const t = o.tamper;
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const issued = t.expired ? now - 3600_000 : now;
  const until = t.expired ? now - 1800_000 : now + 300_000;
  const issuer = t.issuer ?? o.entityId;
  const groups = o.user.groups.map((g) => `<saml:AttributeValue>${esc(g)}</saml:AttributeValue>`).join('');
  const assertionId = `_a${randomBytes(12).toString('hex')}`;
  const xml =
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r${randomBytes(12).toString('hex')}" Version="2.0" IssueInstant="${iso(issued)}" Destination="${esc(o.acs)}" InResponseTo="${o.inResponseTo}">` +
    `<saml:Issuer>${esc(issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    `<saml:Assertion ID="${assertionId}" Version="2.0" IssueInstant="${iso(issued)}">` +
    `<saml:Issuer>${esc(issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${esc(o.user.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${iso(until)}" Recipient="${esc(t.recipient ?? o.acs)}" InResponseTo="${o.inResponseTo}"/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${iso(issued - 60_000)}" NotOnOrAfter="${iso(until)}"><saml:AudienceRestriction><saml:Audience>${esc(t.audience ?? o.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${iso(issued)}" SessionIndex="_s1"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    `<saml:AttributeStatement>` +
    `<saml:Attribute Name="email"><saml:AttributeValue>${esc(o.user.email)}</saml:AttributeValue></saml:Attribute>` +
    `<saml:Attribute Name="name"><saml:AttributeValue>${esc(o.user.name)}</saml:AttributeValue></saml:Attribute>` +
    `<saml:Attribute Name="groups">${groups}</saml:Attribute>` +
    `</saml:AttributeStatement></saml:Assertion></samlp:Response>`;
  if (t.unsigned) return xml;
  const keys = t.otherKey ?? o.keys;
  const sig = new SignedXml({
    privateKey: keys.key,
    publicCert: keys.cert,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  sig.addReference({
    xpath: "//*[local-name(.)='Assertion']",
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
  });
  sig.computeSignature(xml, { location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' } });
  return sig.getSignedXml();
}
