// The e-mails of quality management, one per QualityEvent, in English and French (the recipient's language), as plain
// text and simple HTML with one direct link. Pure: the facts come from src/quality/notifications.ts.

export type QualityEvent =
  | 'evaluation_assigned'
  | 'evaluation_reminder'
  | 'evaluation_submitted'
  | 'evaluation_acknowledged'
  | 'dispute_raised'
  | 'dispute_resolved'
  | 'calibration_assigned'
  | 'comment_mention';

export const QUALITY_EVENTS: readonly QualityEvent[] = [
  'evaluation_assigned',
  'evaluation_reminder',
  'evaluation_submitted',
  'evaluation_acknowledged',
  'dispute_raised',
  'dispute_resolved',
  'calibration_assigned',
  'comment_mention',
];

export type MailLanguage = 'en' | 'fr';

/** Everything a template may say; what is unknown is left out of the mail rather than shown empty. */
export interface MailFacts {
  event: QualityEvent;
  lang: MailLanguage;
  link: string;
  /** The base URL, for the footer's link to the notification preferences. */
  base: string;
  actorName?: string;
  conversationTitle?: string;
  /** Already formatted in the recipient's zone and language. */
  startedAt?: string;
  dueAt?: string;
  overdue?: boolean;
  scorecardName?: string;
  agentName?: string;
  evaluatorName?: string;
  calibrationName?: string;
  /** "133 / 150 (88.67 %)" or "88.67 %", formatted by the caller. */
  score?: string;
  passed?: boolean | null;
  autoFailed?: boolean;
  revision?: number;
  reason?: string;
  outcome?: 'reaffirmed' | 'reevaluated';
  auto?: boolean;
  excerpt?: string;
}

export interface QualityMail {
  subject: string;
  text: string;
  html: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const q = (lang: MailLanguage, s: string) => (lang === 'fr' ? `« ${s} »` : `“${s}”`);

interface Body {
  subject: string;
  /** The first sentence. */
  lead: string;
  /** Label/value lines under it. */
  facts: Array<[string, string | undefined]>;
  /** A quoted text (reason, comment, excerpt). */
  quote?: string;
  action: string;
}

const L = {
  en: {
    conversation: 'Interaction',
    started: 'Started',
    agent: 'Agent',
    evaluator: 'Evaluator',
    scorecard: 'Scorecard',
    due: 'Due',
    score: 'Score',
    result: 'Result',
    passed: 'Passed',
    failed: 'Failed',
    autoFailed: 'Failed (automatic failure)',
    revision: 'Revision',
    someone: 'Someone',
    footer: 'You receive this e-mail because of your role in Earshot quality management. Choose which e-mails you receive',
    prefs: 'Notification preferences',
  },
  fr: {
    conversation: 'Interaction',
    started: 'Début',
    agent: 'Agent',
    evaluator: 'Évaluateur',
    scorecard: "Grille d'évaluation",
    due: 'Échéance',
    score: 'Note',
    result: 'Résultat',
    passed: 'Réussi',
    failed: 'Échoué',
    autoFailed: 'Échoué (échec automatique)',
    revision: 'Révision',
    someone: "Quelqu'un",
    footer: 'Vous recevez cet e-mail du fait de votre rôle dans la gestion de la qualité Earshot. Choisissez les e-mails que vous recevez',
    prefs: 'Préférences de notification',
  },
} as const;

function body(f: MailFacts): Body {
  const l = L[f.lang];
  const who = f.actorName || l.someone;
  const conv = f.conversationTitle ?? '';
  const result = f.autoFailed ? l.autoFailed : f.passed === true ? l.passed : f.passed === false ? l.failed : undefined;
  const common: Array<[string, string | undefined]> = [
    [l.conversation, f.conversationTitle],
    [l.started, f.startedAt],
  ];
  const fr = f.lang === 'fr';
  switch (f.event) {
    case 'evaluation_assigned':
      return {
        subject: fr ? `Évaluation à faire : ${f.agentName ?? ''} — ${conv}` : `Review assigned: ${f.agentName ?? ''} — ${conv}`,
        lead: fr
          ? `${who} vous a confié l'évaluation de ${f.agentName ?? "l'agent"} sur l'interaction ${q('fr', conv)}.`
          : `${who} asked you to review ${f.agentName ?? 'the agent'} on the interaction ${q('en', conv)}.`,
        facts: [...common, [l.agent, f.agentName], [l.scorecard, f.scorecardName], [l.due, f.dueAt]],
        action: fr ? "Ouvrir l'évaluation" : 'Open the review',
      };
    case 'evaluation_reminder':
      return {
        subject: f.overdue
          ? fr
            ? `En retard : évaluation de ${f.agentName ?? ''} — ${conv}`
            : `Overdue: review of ${f.agentName ?? ''} — ${conv}`
          : fr
            ? `Rappel : évaluation de ${f.agentName ?? ''} à rendre le ${f.dueAt ?? ''} — ${conv}`
            : `Reminder: review of ${f.agentName ?? ''} due ${f.dueAt ?? ''} — ${conv}`,
        lead: f.overdue
          ? fr
            ? `L'évaluation de ${f.agentName ?? "l'agent"} sur ${q('fr', conv)} était attendue le ${f.dueAt ?? ''} et n'est pas encore envoyée.`
            : `Your review of ${f.agentName ?? 'the agent'} on ${q('en', conv)} was due ${f.dueAt ?? ''} and is not submitted yet.`
          : fr
            ? `L'évaluation de ${f.agentName ?? "l'agent"} sur ${q('fr', conv)} est à rendre le ${f.dueAt ?? ''}.`
            : `Your review of ${f.agentName ?? 'the agent'} on ${q('en', conv)} is due ${f.dueAt ?? ''}.`,
        facts: [...common, [l.agent, f.agentName], [l.scorecard, f.scorecardName], [l.due, f.dueAt]],
        action: fr ? "Ouvrir l'évaluation" : 'Open the review',
      };
    case 'evaluation_submitted':
      return {
        subject: fr ? `Votre interaction a été évaluée : ${conv}` : `Your interaction was evaluated: ${conv}`,
        lead:
          (f.revision ?? 1) > 1
            ? fr
              ? `${f.evaluatorName ?? who} a réévalué votre interaction ${q('fr', conv)}.`
              : `${f.evaluatorName ?? who} re-evaluated your interaction ${q('en', conv)}.`
            : fr
              ? `${f.evaluatorName ?? who} a évalué votre interaction ${q('fr', conv)}. Vous pouvez en prendre connaissance ou la contester.`
              : `${f.evaluatorName ?? who} evaluated your interaction ${q('en', conv)}. You can acknowledge it or dispute it.`,
        facts: [
          ...common,
          [l.scorecard, f.scorecardName],
          [l.score, f.score],
          [l.result, result],
          [l.revision, (f.revision ?? 1) > 1 ? String(f.revision) : undefined],
        ],
        action: fr ? 'Voir mon résultat' : 'See your result',
      };
    case 'evaluation_acknowledged':
      return {
        subject: fr ? `Évaluation acceptée : ${conv}` : `Evaluation acknowledged: ${conv}`,
        lead: f.auto
          ? fr
            ? `L'évaluation de ${f.agentName ?? "l'agent"} sur ${q('fr', conv)} a été acceptée automatiquement (délai de réponse écoulé).`
            : `Your evaluation of ${f.agentName ?? 'the agent'} on ${q('en', conv)} was acknowledged automatically (the time to respond ran out).`
          : fr
            ? `${f.agentName ?? who} a pris connaissance de l'évaluation de ${q('fr', conv)}.`
            : `${f.agentName ?? who} acknowledged the evaluation of ${q('en', conv)}.`,
        facts: [...common, [l.evaluator, f.evaluatorName], [l.scorecard, f.scorecardName], [l.score, f.score]],
        quote: f.reason,
        action: fr ? "Ouvrir l'évaluation" : 'Open the evaluation',
      };
    case 'dispute_raised':
      return {
        subject: fr ? `Évaluation contestée : ${conv}` : `Evaluation disputed: ${conv}`,
        lead: fr
          ? `${f.agentName ?? who} conteste l'évaluation de ${q('fr', conv)}. Vous pouvez la confirmer ou la réévaluer.`
          : `${f.agentName ?? who} disputes the evaluation of ${q('en', conv)}. You can re-affirm it or re-evaluate it.`,
        facts: [...common, [l.evaluator, f.evaluatorName], [l.scorecard, f.scorecardName], [l.score, f.score]],
        quote: f.reason,
        action: fr ? 'Traiter la contestation' : 'Handle the dispute',
      };
    case 'dispute_resolved':
      return {
        subject: fr ? `Contestation traitée : ${conv}` : `Dispute resolved: ${conv}`,
        lead:
          f.outcome === 'reevaluated'
            ? fr
              ? `${who} a réévalué votre interaction ${q('fr', conv)} suite à votre contestation.`
              : `${who} re-evaluated your interaction ${q('en', conv)} after your dispute.`
            : fr
              ? `${who} a confirmé l'évaluation de votre interaction ${q('fr', conv)}.`
              : `${who} re-affirmed the evaluation of your interaction ${q('en', conv)}.`,
        facts: [...common, [l.scorecard, f.scorecardName], [l.score, f.score], [l.result, result]],
        quote: f.reason,
        action: fr ? 'Voir mon résultat' : 'See your result',
      };
    case 'calibration_assigned':
      return {
        subject: fr ? `Session de calibration : ${f.calibrationName ?? conv}` : `Calibration session: ${f.calibrationName ?? conv}`,
        lead: fr
          ? `${who} vous invite à la session de calibration ${q('fr', f.calibrationName ?? '')} : évaluez ${q('fr', conv)} sans voir les autres évaluations.`
          : `${who} invited you to the calibration session ${q('en', f.calibrationName ?? '')}: score ${q('en', conv)} without seeing the others' scores.`,
        facts: [...common, [l.agent, f.agentName], [l.scorecard, f.scorecardName], [l.due, f.dueAt]],
        action: fr ? 'Ouvrir la session' : 'Open the session',
      };
    case 'comment_mention':
      return {
        subject: fr ? `${who} vous a mentionné : ${conv}` : `${who} mentioned you: ${conv}`,
        lead: fr ? `${who} vous a mentionné dans un commentaire sur ${q('fr', conv)}.` : `${who} mentioned you in a comment on ${q('en', conv)}.`,
        facts: common,
        quote: f.excerpt,
        action: fr ? 'Voir le commentaire' : 'See the comment',
      };
  }
}

export function renderQualityMail(f: MailFacts): QualityMail {
  const b = body(f);
  const l = L[f.lang];
  const facts = b.facts.filter((x): x is [string, string] => typeof x[1] === 'string' && x[1] !== '');
  const prefs = `${f.base}/profile/notifications`;
  const text =
    `${b.lead}\n\n` +
    (facts.length ? `${facts.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n` : '') +
    (b.quote
      ? `${b.quote
          .split('\n')
          .map((line) => `> ${line}`)
          .join('\n')}\n\n`
      : '') +
    `${b.action}: ${f.link}\n\n--\n${l.footer}: ${prefs}\n`;
  const html =
    `<p>${esc(b.lead)}</p>` +
    (facts.length
      ? `<table>${facts.map(([k, v]) => `<tr><td style="color:#666;padding-right:12px">${esc(k)}</td><td>${esc(v)}</td></tr>`).join('')}</table>`
      : '') +
    (b.quote ? `<blockquote style="border-left:3px solid #ccc;margin:12px 0;padding-left:12px;white-space:pre-wrap">${esc(b.quote)}</blockquote>` : '') +
    `<p><a href="${esc(f.link)}">${esc(b.action)}</a></p>` +
    `<hr><p style="color:#666;font-size:12px">${esc(l.footer)}: <a href="${esc(prefs)}">${esc(l.prefs)}</a></p>`;
  return { subject: `Earshot: ${b.subject}`.replace(/\s+/g, ' ').trim(), text, html };
}
