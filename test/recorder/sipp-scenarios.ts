// SIPp scenarios for the signalling tests, generated from one SIPREC INVITE template (the shared basic call's headers,
// SDP and RFC 7865 metadata), so each case states only what it changes: transport, CANCEL before the answer, a 6 kB
// INVITE over UDP, a malformed multipart, a label mismatch, a codec change by re-INVITE, session timers, a refused
// source. The three scenarios from ../shared/sipp (basic, pause/resume, OPTIONS) are copied as they are in fixtures/sipp.

export interface InviteOptions {
  /** m-lines: [label, payload type list, codec lines]. */
  mlines?: Array<{ label: string; pts: string; rtpmap: string[]; dir?: string }>;
  /** Stream labels in the metadata (default: the SDP's). */
  metaLabels?: string[];
  /** Extra bytes of vendor extension data (a big INVITE). */
  padding?: number;
  /** Boundary named in Content-Type (default: the one used in the body). */
  headerBoundary?: string;
  extraHeaders?: string[];
  cseq?: number;
  /** Re-INVITE: in-dialog (To tag, [next_url]). */
  reinvite?: boolean;
  sdpVersion?: number;
}

const PCMU = { pts: '0 101', rtpmap: ['a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15'] };

export function invite(o: InviteOptions = {}): string {
  const mlines = o.mlines ?? [
    { label: '1', ...PCMU },
    { label: '2', ...PCMU },
  ];
  const labels = o.metaLabels ?? mlines.map((m) => m.label);
  const pad = o.padding ? `<extensiondata xmlns:x="urn:example:pad"><x:note>${'x'.repeat(o.padding)}</x:note></extensiondata>` : '';
  const sdp = [
    'v=0',
    `o=SRC [pid][call_number] ${o.sdpVersion ?? 1} IN IP4 [media_ip]`,
    's=SIPREC',
    'c=IN IP4 [media_ip]',
    't=0 0',
    ...mlines.flatMap((m, i) => [
      `m=audio [auto_media_port${i ? '+' + 2 * i : ''}] RTP/AVP ${m.pts}`,
      ...m.rtpmap,
      'a=ptime:20',
      `a=${m.dir ?? 'sendonly'}`,
      `a=label:${m.label}`,
    ]),
  ].join('\n');
  const meta = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<recording xmlns="urn:ietf:params:xml:ns:recording:1">',
    '<datamode>complete</datamode>',
    '<session session_id="U2Vzc2lvbg[pid]x[call_number]"><sipSessionID>[pid]abcdef[call_number];remote=0000</sipSessionID></session>',
    pad,
    '<participant participant_id="UDE[call_number]"><nameID aor="sip:+15550100[call_number]@pstn.example.com"><name>Customer [call_number]</name></nameID></participant>',
    '<participant participant_id="UDI[call_number]"><nameID aor="sip:agent1001@cc.example.com"><name>Agent 1001</name></nameID></participant>',
    ...labels.map((l, i) => `<stream stream_id="S${i + 1}x[call_number]" session_id="U2Vzc2lvbg[pid]x[call_number]"><label>${l}</label></stream>`),
    '<participantstreamassoc participant_id="UDE[call_number]"><send>S1x[call_number]</send><recv>S2x[call_number]</recv></participantstreamassoc>',
    '<participantstreamassoc participant_id="UDI[call_number]"><send>S2x[call_number]</send><recv>S1x[call_number]</recv></participantstreamassoc>',
    '</recording>',
  ].join('\n');
  const b = 'siprec-b-[call_number]';
  const head = [
    `INVITE ${o.reinvite ? '[next_url]' : 'sip:srs@[remote_ip]:[remote_port]'} SIP/2.0`,
    'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]',
    ...(o.reinvite ? ['[routes]'] : []),
    'Max-Forwards: 70',
    'From: "SIPREC SRC" <sip:src@[local_ip]:[local_port]>;tag=[pid]SRC[call_number]',
    `To: <sip:srs@[remote_ip]:[remote_port]>${o.reinvite ? '[peer_tag_param]' : ''}`,
    'Call-ID: [call_id]',
    `CSeq: ${o.cseq ?? 1} INVITE`,
    'Contact: <sip:src@[local_ip]:[local_port];transport=[transport]>;+sip.src',
    'Require: siprec',
    'Supported: replaces, timer',
    'User-Agent: sipp-siprec-src',
    ...(o.extraHeaders ?? []),
    `Content-Type: multipart/mixed;boundary=${o.headerBoundary ?? b}`,
    'Content-Length: [len]',
  ];
  // No blank line may sit among the headers: SIPp keeps it, and it would end the header block.
  return `
${head.join('\n')}

--${b}
Content-Type: application/sdp
Content-Disposition: session;handling=required

${sdp}

--${b}
Content-Type: application/rs-metadata+xml
Content-Disposition: recording-session

${meta}

--${b}--
`;
}

const inDialog = (method: string, cseq: number, branch = '[branch]') => `
      ${method} [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=${branch}
      [routes]
      Max-Forwards: 70
      From: "SIPREC SRC" <sip:src@[local_ip]:[local_port]>;tag=[pid]SRC[call_number]
      To: <sip:srs@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: ${cseq} ${method}
      Contact: <sip:src@[local_ip]:[local_port];transport=[transport]>;+sip.src
      Content-Length: 0
`;

const send = (msg: string, retrans = true) => `<send${retrans ? ' retrans="500"' : ''}><![CDATA[\n${msg}\n]]></send>`;
const recv = (status: number, checks: string[] = [], optional = false) =>
  `<recv response="${status}"${optional ? ' optional="true"' : ''}${status === 200 || status >= 400 ? '' : ''} rrs="true">${
    checks.length
      ? `<action>${checks.map((c, i) => `<ereg regexp="${c}" search_in="body" check_it="true" assign_to="m${i}"/><log message="matched [$m${i}]"/>`).join('')}</action>`
      : ''
  }</recv>`;
const headerCheck = (status: number, header: string, regexp: string) =>
  `<recv response="${status}"><action><ereg regexp="${regexp}" search_in="hdr" header="${header}:" check_it="true" assign_to="h"/><log message="header [$h]"/></action></recv>`;
const scenario = (name: string, body: string[]) => `<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="${name}">\n${body.join('\n')}\n</scenario>\n`;

const TRYING = recv(100, [], true);
const ACK = send(inDialog('ACK', 1), false);
const BYE = (cseq = 2) => [send(inDialog('BYE', cseq)), recv(200)];

/** INVITE → 200 (two recvonly m-lines) → ACK → pause → BYE, any transport, no RTP. */
export const basicNoRtp = (o: InviteOptions = {}, holdMs = 500, checks = ['m=audio [0-9]+.*a=recvonly.*m=audio [0-9]+.*a=recvonly']) =>
  scenario('SIPREC basic without RTP', [send(invite(o)), TRYING, recv(200, checks), ACK, `<pause milliseconds="${holdMs}"/>`, ...BYE()]);

/** INVITE, then CANCEL before the answer (same branch): 200 to the CANCEL, 487 to the INVITE, which is ACKed. */
export const cancelBeforeAnswer = () =>
  scenario('SIPREC CANCEL before answer', [
    send(invite()),
    recv(100),
    send(
      `
      CANCEL sip:srs@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch-2]
      Max-Forwards: 70
      From: "SIPREC SRC" <sip:src@[local_ip]:[local_port]>;tag=[pid]SRC[call_number]
      To: <sip:srs@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 CANCEL
      Content-Length: 0
`,
    ),
    recv(200),
    recv(487),
    send(
      `
      ACK sip:srs@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch-5]
      Max-Forwards: 70
      From: "SIPREC SRC" <sip:src@[local_ip]:[local_port]>;tag=[pid]SRC[call_number]
      To: <sip:srs@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Content-Length: 0
`,
      false,
    ),
  ]);

/** A request the SRS must refuse with `status` (and a Warning saying why); the INVITE's non-2xx is ACKed. */
export const refusedInvite = (o: InviteOptions, status: number, warning: string) =>
  scenario(`SIPREC refused ${status}`, [
    send(invite(o)),
    TRYING,
    headerCheck(status, 'Warning', warning),
    send(
      `
      ACK sip:srs@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch-3]
      Max-Forwards: 70
      From: "SIPREC SRC" <sip:src@[local_ip]:[local_port]>;tag=[pid]SRC[call_number]
      To: <sip:srs@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Content-Length: 0
`,
      false,
    ),
  ]);

/** PCMU first, then a re-INVITE that moves both streams to PCMA (PT 8): the answer follows. */
export const codecChange = () => {
  const pcma = { pts: '8 101', rtpmap: ['a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15'] };
  return scenario('SIPREC codec change by re-INVITE', [
    send(invite()),
    TRYING,
    recv(200, ['m=audio [0-9]+ RTP/AVP 0 101']),
    ACK,
    '<pause milliseconds="300"/>',
    send(
      invite({
        reinvite: true,
        cseq: 2,
        sdpVersion: 2,
        mlines: [
          { label: '1', ...pcma },
          { label: '2', ...pcma },
        ],
      }),
    ),
    TRYING,
    recv(200, ['m=audio [0-9]+ RTP/AVP 8 101.*m=audio [0-9]+ RTP/AVP 8 101']),
    send(inDialog('ACK', 2), false),
    '<pause milliseconds="300"/>',
    ...BYE(3),
  ]);
};

/** Session-Expires under Min-SE: 422 with Min-SE 90; then accepted with the SRC as refresher. */
export const sessionTimers = () =>
  scenario('SIPREC session timers', [
    send(invite({ extraHeaders: ['Session-Expires: 30'] })),
    TRYING,
    headerCheck(422, 'Min-SE', '90'),
    send(
      `
      ACK sip:srs@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch-3]
      Max-Forwards: 70
      From: "SIPREC SRC" <sip:src@[local_ip]:[local_port]>;tag=[pid]SRC[call_number]
      To: <sip:srs@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Content-Length: 0
`,
      false,
    ),
    send(invite({ cseq: 2, extraHeaders: ['Session-Expires: 1800;refresher=uac'] }).replace('CSeq: 2 INVITE', 'CSeq: 2 INVITE')),
    TRYING,
    headerCheck(200, 'Session-Expires', '1800;refresher=uac'),
    send(inDialog('ACK', 2), false),
    ...BYE(3),
  ]);

/** One out-of-dialog OPTIONS answered with `status`. */
export const options = (status: number) =>
  scenario(`OPTIONS → ${status}`, [
    send(`
      OPTIONS sip:srs@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      Max-Forwards: 70
      From: <sip:src@[local_ip]:[local_port]>;tag=[pid]O[call_number]
      To: <sip:srs@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 OPTIONS
      Content-Length: 0
`),
    recv(status),
  ]);
