// The player's legend on a mono mix: it says crosstalk was not measurable, instead of an empty crosstalk row
// suggesting nobody interrupted.
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { MediaManifest, MediaPartyStream, MediaSegment } from '../../../api/media.ts';
import en from '../../../i18n/en.json' with { type: 'json' };
import { appWrapper } from '../../../test/render.tsx';
import { buildModel } from './model.ts';
import { Legend } from './Player.tsx';

const stream = (party: string, role: string, side: string | null): MediaPartyStream => ({
  id: `st-${party}`,
  party,
  participantId: null,
  role,
  side,
  name: null,
  status: 'ok',
  reason: null,
  sampleRate: 8000,
  durationMs: 10_000,
  talkMs: 5_000,
  soloUrl: `/solo/${party}`,
  peaksUrl: `/peaks/${party}`,
  peaks: null,
});

const segment = (streams: MediaPartyStream[]): MediaSegment => ({
  id: 's1',
  kind: 'call',
  contactId: 's1',
  startMs: 0,
  endMs: 10_000,
  recordedAt: '2026-01-01T00:00:00.000Z',
  monitor: null,
  mixUrl: '/mix/s1',
  downloadWavUrl: '/wav/s1',
  videoUrl: null,
  streams,
});

const manifest = (streams: MediaPartyStream[], crosstalk: MediaManifest['crosstalk']): MediaManifest => ({
  conversationId: 'c',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 10_000,
  status: 'ready',
  holdCount: 0,
  segments: [segment(streams)],
  events: [],
  crosstalk,
  marks: [],
  wrapUp: null,
  exportMp3Url: '/mp3',
});

const renderLegend = (m: MediaManifest) => render(<Legend model={buildModel(m)} hasComments={false} />, { wrapper: appWrapper().wrapper });

describe('player legend', () => {
  it('says crosstalk is not measurable on a single-channel recording', () => {
    renderLegend(
      manifest([stream('st-mix', 'other', null)], {
        measurable: false,
        reason: 'SINGLE_CHANNEL',
        message: 'Crosstalk is not measurable on a single-channel recording',
      }),
    );
    expect(screen.getByText(en.player.legend.crosstalkNotMeasurable)).toBeTruthy();
  });

  it('says nothing of the kind when the parties are on separate channels', () => {
    renderLegend(manifest([stream('c', 'customer', 'calling'), stream('g', 'agent', 'called')], { measurable: true, reason: null, message: null }));
    expect(screen.queryByText(en.player.legend.crosstalkNotMeasurable)).toBeNull();
    expect(screen.queryByText(en.player.legend.transfer)).toBeNull();
  });

  it('lists transfers and consultations apart, the screen band and the wrap-up when there are some (issue 16)', () => {
    const m = manifest([stream('c', 'customer', 'calling'), stream('g', 'agent', 'called')], { measurable: true, reason: null, message: null });
    renderLegend({
      ...m,
      segments: [...m.segments, { ...m.segments[0]!, id: 'v1', kind: 'screen', mixUrl: null, monitor: 0, streams: [] }],
      marks: [
        { type: 'transfer', atMs: 1000, segmentId: 's1', to: '2002' },
        { type: 'consult', atMs: 2000, segmentId: 's1', to: null },
      ],
      wrapUp: { startMs: 10_000, endMs: 40_000 },
    });
    for (const key of ['transfer', 'consult', 'screen', 'wrapUp'] as const) expect(screen.getByText(en.player.legend[key])).toBeTruthy();
  });
});
