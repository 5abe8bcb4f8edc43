// What the Analytics tab marks inside an e-mail (issue 10: mentions were not marked in e-mail bodies). The insights
// read an e-mail as one line, subject + newline + body; the marks are split back into the subject's and the body's
// offsets, and the e-mail shows them and scrolls to them.
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Segment } from '../../../api/types.ts';
import { appWrapper } from '../../../test/render.tsx';
import { EmailSegment } from '../detail/EmailSegment.tsx';
import { emailRanges, InsightMarksContext, type InsightMark } from './marks.ts';

const subject = 'Cancel my account';
const body = 'Hello,\nI want to cancel my account today.\nJo';
// As the server's line is built: subject, "\n", body.
const line = `${subject}\n${body}`;
const at = (phrase: string, from = 0): [number, number] => {
  const i = line.indexOf(phrase, from);
  return [i, i + phrase.length];
};

describe('emailRanges', () => {
  it("splits the line's ranges into the subject's and the body's", () => {
    const inSubject = at('Cancel my account');
    const inBody = at('cancel my account', subject.length);
    expect(
      emailRanges(
        [
          { lineId: 'seg', range: inSubject },
          { lineId: 'seg', range: inBody },
        ],
        'seg',
        subject,
        body,
      ),
    ).toEqual({
      subject: [[0, 17]],
      body: [[body.indexOf('cancel'), body.indexOf('cancel') + 17]],
    });
  });
  it('reads the body from the start when there is no subject, marks the whole body for a line mark, and skips other lines', () => {
    expect(emailRanges([{ lineId: 'seg', range: [7, 13] }], 'seg', '', body).body).toEqual([[7, 13]]);
    expect(emailRanges([{ lineId: 'seg', range: null }], 'seg', subject, body)).toEqual({ subject: [], body: [[0, body.length]] });
    expect(emailRanges([{ lineId: 'other', range: [0, 5] }], 'seg', subject, body)).toEqual({ subject: [], body: [] });
  });
});

describe('EmailSegment', () => {
  it('marks the mentions the Analytics tab points at in the subject and body', () => {
    const segment = {
      id: 'seg',
      kind: 'email',
      startedAt: '2026-11-03T08:00:00Z',
      email: {
        messageId: 'm1',
        inReplyTo: null,
        subject,
        from: { name: 'Jo Smith', address: 'jo@example.com' },
        to: [{ name: null, address: 'support@acme.test' }],
        cc: [],
        sentAt: '2026-11-03T08:00:00Z',
        text: body,
        html: null,
        attachments: [],
      },
    } as unknown as Segment;
    const marks: InsightMark[] = [
      { lineId: 'seg', range: at('Cancel my account') },
      { lineId: 'seg', range: at('cancel my account', subject.length) },
    ];
    const value = { marks, selected: 'indicator:i1', select: () => {} };
    Element.prototype.scrollIntoView = () => {};
    render(
      <InsightMarksContext.Provider value={value}>
        <EmailSegment segment={segment} zone="UTC" />
      </InsightMarksContext.Provider>,
      { wrapper: appWrapper().wrapper },
    );
    expect([...screen.getByTestId('email-body').querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['cancel my account']);
    expect([...document.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['Cancel my account', 'cancel my account']);
  });
});
