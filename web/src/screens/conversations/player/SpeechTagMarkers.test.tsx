// Speech tag hits on the player's timeline: one mark per hit in the tag's colour, at the hit's time, labelled with the
// phrase and the confidence level; a click plays from the hit; hits outside the view are not drawn.
import { screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { MediaManifest } from '../../../api/media.ts';
import { fakeApi, renderWithApp } from '../../../test/render.tsx';
import { buildModel } from './model.ts';
import { SpeechTagMarkers } from './SpeechTagMarkers.tsx';
import { SpeechTagIcon } from '../SpeechTagIcon.tsx';

const manifest: MediaManifest = {
  conversationId: 'c1',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 10_000,
  status: 'ready',
  holdCount: 0,
  segments: [
    {
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
      streams: [],
    },
  ],
  events: [],
  crosstalk: { measurable: true, reason: null },
  wrapUp: null,
  exportMp3Url: '/mp3',
} as unknown as MediaManifest;

const hit = (id: string, startMs: number, level: string, confidence: number) => ({
  id,
  tagId: 't1',
  name: 'Refund',
  color: '#2f9e44',
  phrase: 'refund',
  startMs,
  endMs: startMs + 400,
  confidence,
  level,
  utteranceId: 'u1',
  segmentId: 's1',
  source: 'transcript',
});

describe('speech tag markers', () => {
  it('draws each hit in view at its time with its phrase and level, and plays from it on click', async () => {
    fakeApi({ 'GET /api/conversations/c1/speech-tags': () => ({ items: [hit('h1', 2000, 'certainly', 0.91), hit('h2', 9000, 'maybe', 0.42)] }) });
    const onSeek = vi.fn();
    renderWithApp(<SpeechTagMarkers model={buildModel(manifest)} view={{ startMs: 0, spanMs: 5000 }} width={500} onSeek={onSeek} />);
    const marks = await screen.findAllByTestId('speech-tag-marker');
    expect(marks).toHaveLength(1);
    const mark = marks[0]!;
    expect(mark.getAttribute('aria-label')).toBe('Refund: “refund” · Certainly (91 %) at 0:02');
    expect(mark.style.left).toBe('199px');
    await userEvent.click(mark);
    expect(onSeek).toHaveBeenCalledWith(2000);
  });

  it('marks a list row that has speech tags, naming them', async () => {
    fakeApi({});
    renderWithApp(<SpeechTagIcon tags={[{ tagId: 't1', name: 'Refund', color: '#2f9e44', level: 'probably', hits: 2 }]} />);
    await waitFor(() => expect(screen.getByTestId('speech-tag-icon').getAttribute('aria-label')).toBe('Speech tags: Refund'));
    renderWithApp(<SpeechTagIcon tags={[]} />);
    expect(screen.getAllByTestId('speech-tag-icon')).toHaveLength(1);
  });
});
