// The recorder's shared shapes (issue 13): what the SIPREC signalling hands the RTP media pool, what the media pool
// reports back, and what a finished call carries into ingest. Signalling (sip/, siprec/), media (media/) and control/live
// (control/, live/) are written against these; add fields, never rename.

/** One codec the offer lists for a stream (from the SDP m-line and its rtpmap/fmtp). */
export interface CodecOffer {
  pt: number;
  /** Lower-case encoding name: pcmu, pcma, g722, opus, g729, telephone-event, cn … */
  name: string;
  rate: number;
  channels?: number;
  fmtp?: string;
}

/** SDES keying (RFC 4568) from one `a=crypto` line. */
export interface CryptoOffer {
  tag: number;
  suite: string;
  /** The inline key||salt, base64 as in the SDP. */
  keyParams: string;
}

/** One m-line of the SRC's offer, as the media pool needs it. */
export interface StreamOffer {
  /** The SDP `a=label` (RFC 4574): how the metadata ties a stream to a participant. */
  label: string;
  /** The m-line's index in the offer; answers keep the offer's order. */
  index: number;
  codecs: CodecOffer[];
  crypto: CryptoOffer[];
  /** sendonly from the SRC is normal; inactive means paused (RFC 7866 §8.1.2 pause). */
  direction: 'sendonly' | 'sendrecv' | 'inactive' | 'recvonly';
  remote: { address: string; port: number } | null;
}

/** What the media pool answers for one m-line: a port (0 = rejected) and the chosen codec. */
export interface StreamAnswer {
  label: string;
  index: number;
  /** 0 when the stream is rejected (the SDP answer then carries port 0 for this m-line). */
  port: number;
  address: string;
  codec: CodecOffer | null;
  /** Also accepted alongside the audio codec (telephone-event, CN). */
  extraCodecs: CodecOffer[];
  crypto: CryptoOffer | null;
  /** Why the stream is rejected, or stored raw: "unsupported codec G.729 (no maintained decoder)". */
  reason: string | null;
  /** Accepted but stored as received (no decoder): the conversation shows the reason. */
  storedRaw: boolean;
}

/** Per-leg network quality, computed by the media pool (RFC 3550 jitter, E-model MOS). */
export interface StreamQuality {
  label: string;
  packetsExpected: number;
  packetsReceived: number;
  packetsLost: number;
  packetsLate: number;
  packetsDuplicate: number;
  /** Interarrival jitter in ms. */
  jitterMs: number;
  /** Estimated MOS 1–4.5 (ITU-T G.107 E-model, simplified); null without enough packets. */
  mos: number | null;
  /** Longest stretch without packets while not paused, ms. */
  longestGapMs: number;
  /** Quality over time (the player's quality lane): one entry per 5 s of the call, offset from the call's start. */
  intervals?: { offsetMs: number; expected: number; lost: number; jitterMs: number }[];
}

/** A participant from RFC 7866 metadata (or the SIP headers when there is none). */
export interface SiprecParticipant {
  /** The metadata's participant_id (or a synthetic one). */
  id: string;
  name: string | null;
  /** The AOR (sip:/tel: URI) and the number/user part of it. */
  aor: string | null;
  number: string | null;
  /** Labels of the streams this participant sends. */
  sends: string[];
  /** Earshot party mapping (tenant rules: extension ranges, domains, explicit map): who is the agent. */
  role: 'agent' | 'customer' | 'unknown';
  /** Set when the agent maps to an Earshot user. */
  userId: string | null;
  /** The initiating party of the original call (never guessed silently: `from`/`to` of the CS). */
  side: 'caller' | 'callee' | 'unknown';
}

/** The recording session's metadata as the media pool and ingest see it. */
export interface SiprecMetadata {
  /** RFC 7866 session id (base64) or the Call-ID when there is no metadata. */
  sessionId: string;
  groupId: string | null;
  /** The original call's Call-ID / SBC reference when the vendor carries it. */
  callRef: string;
  vendor: 'generic' | 'cisco' | 'oracle' | 'audiocodes' | 'broadworks' | 'freeswitch' | 'asterisk';
  direction: 'inbound' | 'outbound' | 'internal' | 'unknown';
  participants: SiprecParticipant[];
  /** label → participant id (one stream per participant, or a single mixed stream mapped to null). */
  streams: { label: string; participantId: string | null }[];
  /** Vendor extension data kept verbatim for the segment's metadata. */
  extensions: Record<string, string>;
}

/** The recording state of a live call, as the Live screen and the control API show it. */
export type RecordingState = 'recording' | 'paused' | 'not_recording' | 'ended' | 'failed';

/** Assurance flags raised on a call / conversation (issue 13 "Recording assurance"). */
export type AssuranceFlag = 'not_recorded' | 'one_sided' | 'empty' | 'clipped' | 'long_gaps' | 'unsupported_codec' | 'recovered';
