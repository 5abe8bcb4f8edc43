// An e-mail's own words: the quoted thread of a reply and a repeated "Re:" subject are blanked, in place, so the
// customer's sentences quoted in an agent's reply are not read as the agent's, and ranges still point into the text.
import { describe, expect, it } from 'vitest';
import { blankQuotedThread, emailLineText, ownSubject } from './email-text.ts';

const kept = (s: string) => s.replace(/\s+/g, ' ').trim();

describe("an e-mail's own words", () => {
  it('blanks the thread under "On …, X wrote:", in place', () => {
    const body =
      'Hello Jo,\nWe will refund you within five days.\n\nOn Mon, 30 Nov 2026 at 09:12, Jo Smith <jo@example.com> wrote:\n> I will send you the receipt tomorrow.\n> Jo';
    const out = blankQuotedThread(body);
    expect(out).toHaveLength(body.length);
    expect(kept(out)).toBe('Hello Jo, We will refund you within five days.');
    expect(out.indexOf('We will refund')).toBe(body.indexOf('We will refund'));
  });

  it('knows the attribution wrapped on two lines, Outlook headers, separators and French clients', () => {
    expect(kept(blankQuotedThread('Done.\nOn Mon, 30 Nov 2026 at 09:12, Jo Smith <\njo@example.com> wrote:\nI will call back.'))).toBe('Done.');
    expect(kept(blankQuotedThread('Done.\n\nFrom: Jo Smith <jo@example.com>\nSent: Monday, 30 November 2026 09:12\nTo: Support\nI will call back.'))).toBe(
      'Done.',
    );
    expect(kept(blankQuotedThread('Done.\n-----Original Message-----\nI will call back.'))).toBe('Done.');
    expect(kept(blankQuotedThread('C’est fait.\nLe lun. 30 nov. 2026 à 09:12, Jo Smith <jo@example.com> a écrit :\n> Je vous rappelle demain.'))).toBe(
      'C’est fait.',
    );
  });

  it('blanks interleaved "> " lines and keeps the answers between them', () => {
    expect(kept(blankQuotedThread('> Can you refund me?\nYes, you will receive it Friday.\n> And the fee?\nWaived.'))).toBe(
      'Yes, you will receive it Friday. Waived.',
    );
  });

  it('leaves a message without a thread, and sentences that merely start with "On", alone', () => {
    const body = 'On Monday we will send the new router.\nThanks';
    expect(blankQuotedThread(body)).toBe(body);
  });

  it("blanks a subject that only repeats the thread's; the line keeps subject, newline, body", () => {
    expect(ownSubject('Re: Cancel my account').trim()).toBe('');
    expect(ownSubject('RE[2]: Refund')).toHaveLength('RE[2]: Refund'.length);
    expect(ownSubject('Fwd: Invoice').trim()).toBe('');
    expect(ownSubject('Refund request')).toBe('Refund request');
    const line = emailLineText('Re: Cancel my account', 'Done.\n> I want to cancel my account');
    expect(line).toHaveLength('Re: Cancel my account'.length + 1 + 'Done.\n> I want to cancel my account'.length);
    expect(kept(line)).toBe('Done.');
    expect(emailLineText('', 'Body only')).toBe('Body only');
    expect(emailLineText('Subject only', null)).toBe('Subject only');
  });
});
