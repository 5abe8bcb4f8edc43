// Who a segment's party key is. Party keys are labels of one segment ("agent", "customer"): the legs of a transfer
// both call their agent "agent", so the conversation's participants alone cannot say whose voice a leg's stream is.
// Ingest records the answer (segment_parties, 0025); a segment stored before that is resolved from what is known
// about it: the agent's user, then the participant added with the segment, then the last one added before it.
export interface PartyCandidate {
  id: string;
  party_key: string;
  user_id: string | null;
  created_at: string | Date;
}

export interface SegmentForParties {
  id: string;
  agent_party_key: string | null;
  agent_user_id: string | null;
  created_at: string | Date;
}

export interface SegmentPartyLink {
  segment_id: string;
  party_key: string;
  participant_id: string;
}

const time = (v: string | Date) => (v instanceof Date ? v.getTime() : Date.parse(v));

/** The participant id of `partyKey` in `segment`, or null when no participant has that key. */
export function participantFor(segment: SegmentForParties, partyKey: string, participants: PartyCandidate[], links: SegmentPartyLink[]): string | null {
  const linked = links.find((l) => l.segment_id === segment.id && l.party_key === partyKey);
  if (linked && participants.some((p) => p.id === linked.participant_id)) return linked.participant_id;
  const candidates = participants.filter((p) => p.party_key === partyKey);
  if (candidates.length <= 1) return candidates[0]?.id ?? null;
  if (partyKey === segment.agent_party_key && segment.agent_user_id) {
    const agent = candidates.find((p) => p.user_id === segment.agent_user_id);
    if (agent) return agent.id;
  }
  // Participants are added in the transaction that adds their first segment, with the same time.
  const at = time(segment.created_at);
  const before = candidates.filter((p) => time(p.created_at) <= at).sort((a, b) => time(b.created_at) - time(a.created_at));
  return (before[0] ?? candidates[0]!).id;
}

/** Every party key of each segment → its participant id (keys no participant has are left out). */
export function resolveSegmentParties(
  segments: SegmentForParties[],
  keysOf: (segmentId: string) => Iterable<string>,
  participants: PartyCandidate[],
  links: SegmentPartyLink[],
): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const s of segments) {
    const map = new Map<string, string>();
    const keys = new Set([...keysOf(s.id), ...links.filter((l) => l.segment_id === s.id).map((l) => l.party_key)]);
    if (s.agent_party_key) keys.add(s.agent_party_key);
    for (const key of keys) {
      const id = participantFor(s, key, participants, links);
      if (id) map.set(key, id);
    }
    out.set(s.id, map);
  }
  return out;
}
