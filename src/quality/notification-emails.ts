// The e-mails of quality management, one per QualityEvent, in the recipient's language (any of the seven UI languages:
// notify/mail-language.ts), as plain text and simple HTML with one direct link. Pure: the facts come from
// src/quality/notifications.ts. Each language is one table of sentences, so a translator reads it top to bottom.
import { quote, type MailLanguage } from '../notify/mail-language.ts';

export type { MailLanguage } from '../notify/mail-language.ts';

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

/** What a sentence may name: `agent` is the agent's name or the language's "the agent"; `conv`, `calib` are quoted. */
interface Say {
  who: string;
  agent: string;
  /** The agent's name alone, '' when unknown (subjects). */
  agentName: string;
  evaluator: string;
  conv: string;
  /** The conversation's title unquoted (subjects). */
  title: string;
  calib: string;
  calibName: string;
  due: string;
}
type Line = (s: Say) => string;

interface Texts {
  labels: {
    conversation: string;
    started: string;
    agent: string;
    evaluator: string;
    scorecard: string;
    due: string;
    score: string;
    result: string;
    passed: string;
    failed: string;
    autoFailed: string;
    revision: string;
  };
  someone: string;
  theAgent: string;
  footer: string;
  prefs: string;
  assigned: { subject: Line; lead: Line };
  reminder: { subjectOverdue: Line; subject: Line; leadOverdue: Line; lead: Line };
  openReview: string;
  submitted: { subject: Line; lead: Line; leadRevised: Line };
  seeResult: string;
  acknowledged: { subject: Line; leadAuto: Line; lead: Line; action: string };
  disputeRaised: { subject: Line; lead: Line; action: string };
  disputeResolved: { subject: Line; leadReevaluated: Line; leadReaffirmed: Line };
  calibration: { subject: Line; lead: Line; action: string };
  mention: { subject: Line; lead: Line; action: string };
}

const TEXTS: Record<MailLanguage, Texts> = {
  en: {
    labels: {
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
    },
    someone: 'Someone',
    theAgent: 'the agent',
    footer: 'You receive this e-mail because of your role in Earshot quality management. Choose which e-mails you receive',
    prefs: 'Notification preferences',
    assigned: {
      subject: (s) => `Review assigned: ${s.agentName} — ${s.title}`,
      lead: (s) => `${s.who} asked you to review ${s.agent} on the interaction ${s.conv}.`,
    },
    reminder: {
      subjectOverdue: (s) => `Overdue: review of ${s.agentName} — ${s.title}`,
      subject: (s) => `Reminder: review of ${s.agentName} due ${s.due} — ${s.title}`,
      leadOverdue: (s) => `Your review of ${s.agent} on ${s.conv} was due ${s.due} and is not submitted yet.`,
      lead: (s) => `Your review of ${s.agent} on ${s.conv} is due ${s.due}.`,
    },
    openReview: 'Open the review',
    submitted: {
      subject: (s) => `Your interaction was evaluated: ${s.title}`,
      lead: (s) => `${s.evaluator} evaluated your interaction ${s.conv}. You can acknowledge it or dispute it.`,
      leadRevised: (s) => `${s.evaluator} re-evaluated your interaction ${s.conv}.`,
    },
    seeResult: 'See your result',
    acknowledged: {
      subject: (s) => `Evaluation acknowledged: ${s.title}`,
      leadAuto: (s) => `Your evaluation of ${s.agent} on ${s.conv} was acknowledged automatically (the time to respond ran out).`,
      lead: (s) => `${s.agent} acknowledged the evaluation of ${s.conv}.`,
      action: 'Open the evaluation',
    },
    disputeRaised: {
      subject: (s) => `Evaluation disputed: ${s.title}`,
      lead: (s) => `${s.agent} disputes the evaluation of ${s.conv}. You can re-affirm it or re-evaluate it.`,
      action: 'Handle the dispute',
    },
    disputeResolved: {
      subject: (s) => `Dispute resolved: ${s.title}`,
      leadReevaluated: (s) => `${s.who} re-evaluated your interaction ${s.conv} after your dispute.`,
      leadReaffirmed: (s) => `${s.who} re-affirmed the evaluation of your interaction ${s.conv}.`,
    },
    calibration: {
      subject: (s) => `Calibration session: ${s.calibName}`,
      lead: (s) => `${s.who} invited you to the calibration session ${s.calib}: score ${s.conv} without seeing the others' scores.`,
      action: 'Open the session',
    },
    mention: {
      subject: (s) => `${s.who} mentioned you: ${s.title}`,
      lead: (s) => `${s.who} mentioned you in a comment on ${s.conv}.`,
      action: 'See the comment',
    },
  },
  fr: {
    labels: {
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
    },
    someone: "Quelqu'un",
    theAgent: "l'agent",
    footer: 'Vous recevez cet e-mail du fait de votre rôle dans la gestion de la qualité Earshot. Choisissez les e-mails que vous recevez',
    prefs: 'Préférences de notification',
    assigned: {
      subject: (s) => `Évaluation à faire : ${s.agentName} — ${s.title}`,
      lead: (s) => `${s.who} vous a confié l'évaluation de ${s.agent} sur l'interaction ${s.conv}.`,
    },
    reminder: {
      subjectOverdue: (s) => `En retard : évaluation de ${s.agentName} — ${s.title}`,
      subject: (s) => `Rappel : évaluation de ${s.agentName} à rendre le ${s.due} — ${s.title}`,
      leadOverdue: (s) => `L'évaluation de ${s.agent} sur ${s.conv} était attendue le ${s.due} et n'est pas encore envoyée.`,
      lead: (s) => `L'évaluation de ${s.agent} sur ${s.conv} est à rendre le ${s.due}.`,
    },
    openReview: "Ouvrir l'évaluation",
    submitted: {
      subject: (s) => `Votre interaction a été évaluée : ${s.title}`,
      lead: (s) => `${s.evaluator} a évalué votre interaction ${s.conv}. Vous pouvez en prendre connaissance ou la contester.`,
      leadRevised: (s) => `${s.evaluator} a réévalué votre interaction ${s.conv}.`,
    },
    seeResult: 'Voir mon résultat',
    acknowledged: {
      subject: (s) => `Évaluation acceptée : ${s.title}`,
      leadAuto: (s) => `L'évaluation de ${s.agent} sur ${s.conv} a été acceptée automatiquement (délai de réponse écoulé).`,
      lead: (s) => `${s.agent} a pris connaissance de l'évaluation de ${s.conv}.`,
      action: "Ouvrir l'évaluation",
    },
    disputeRaised: {
      subject: (s) => `Évaluation contestée : ${s.title}`,
      lead: (s) => `${s.agent} conteste l'évaluation de ${s.conv}. Vous pouvez la confirmer ou la réévaluer.`,
      action: 'Traiter la contestation',
    },
    disputeResolved: {
      subject: (s) => `Contestation traitée : ${s.title}`,
      leadReevaluated: (s) => `${s.who} a réévalué votre interaction ${s.conv} suite à votre contestation.`,
      leadReaffirmed: (s) => `${s.who} a confirmé l'évaluation de votre interaction ${s.conv}.`,
    },
    calibration: {
      subject: (s) => `Session de calibration : ${s.calibName}`,
      lead: (s) => `${s.who} vous invite à la session de calibration ${s.calib} : évaluez ${s.conv} sans voir les autres évaluations.`,
      action: 'Ouvrir la session',
    },
    mention: {
      subject: (s) => `${s.who} vous a mentionné : ${s.title}`,
      lead: (s) => `${s.who} vous a mentionné dans un commentaire sur ${s.conv}.`,
      action: 'Voir le commentaire',
    },
  },
  es: {
    labels: {
      conversation: 'Interacción',
      started: 'Inicio',
      agent: 'Agente',
      evaluator: 'Evaluador',
      scorecard: 'Formulario de evaluación',
      due: 'Fecha límite',
      score: 'Puntuación',
      result: 'Resultado',
      passed: 'Aprobada',
      failed: 'No aprobada',
      autoFailed: 'No aprobada (suspenso automático)',
      revision: 'Revisión',
    },
    someone: 'Alguien',
    theAgent: 'el agente',
    footer: 'Recibe este correo por su función en la gestión de calidad de Earshot. Elija qué correos recibe',
    prefs: 'Preferencias de notificación',
    assigned: {
      subject: (s) => `Evaluación asignada: ${s.agentName} — ${s.title}`,
      lead: (s) => `${s.who} le ha pedido que evalúe a ${s.agent} en la interacción ${s.conv}.`,
    },
    reminder: {
      subjectOverdue: (s) => `Vencida: evaluación de ${s.agentName} — ${s.title}`,
      subject: (s) => `Recordatorio: evaluación de ${s.agentName} con fecha límite ${s.due} — ${s.title}`,
      leadOverdue: (s) => `Su evaluación de ${s.agent} en ${s.conv} vencía el ${s.due} y aún no se ha enviado.`,
      lead: (s) => `Su evaluación de ${s.agent} en ${s.conv} vence el ${s.due}.`,
    },
    openReview: 'Abrir la evaluación',
    submitted: {
      subject: (s) => `Su interacción ha sido evaluada: ${s.title}`,
      lead: (s) => `${s.evaluator} ha evaluado su interacción ${s.conv}. Puede aceptar la evaluación o impugnarla.`,
      leadRevised: (s) => `${s.evaluator} ha vuelto a evaluar su interacción ${s.conv}.`,
    },
    seeResult: 'Ver mi resultado',
    acknowledged: {
      subject: (s) => `Evaluación aceptada: ${s.title}`,
      leadAuto: (s) => `Su evaluación de ${s.agent} en ${s.conv} se aceptó automáticamente (venció el plazo de respuesta).`,
      lead: (s) => `${s.agent} ha aceptado la evaluación de ${s.conv}.`,
      action: 'Abrir la evaluación',
    },
    disputeRaised: {
      subject: (s) => `Evaluación impugnada: ${s.title}`,
      lead: (s) => `${s.agent} impugna la evaluación de ${s.conv}. Puede confirmarla o volver a evaluar.`,
      action: 'Gestionar la impugnación',
    },
    disputeResolved: {
      subject: (s) => `Impugnación resuelta: ${s.title}`,
      leadReevaluated: (s) => `${s.who} ha vuelto a evaluar su interacción ${s.conv} tras su impugnación.`,
      leadReaffirmed: (s) => `${s.who} ha confirmado la evaluación de su interacción ${s.conv}.`,
    },
    calibration: {
      subject: (s) => `Sesión de calibración: ${s.calibName}`,
      lead: (s) => `${s.who} le ha invitado a la sesión de calibración ${s.calib}: evalúe ${s.conv} sin ver las puntuaciones de los demás.`,
      action: 'Abrir la sesión',
    },
    mention: {
      subject: (s) => `${s.who} le ha mencionado: ${s.title}`,
      lead: (s) => `${s.who} le ha mencionado en un comentario sobre ${s.conv}.`,
      action: 'Ver el comentario',
    },
  },
  'pt-BR': {
    labels: {
      conversation: 'Interação',
      started: 'Início',
      agent: 'Agente',
      evaluator: 'Avaliador',
      scorecard: 'Formulário de avaliação',
      due: 'Prazo',
      score: 'Pontuação',
      result: 'Resultado',
      passed: 'Aprovada',
      failed: 'Reprovada',
      autoFailed: 'Reprovada (reprovação automática)',
      revision: 'Revisão',
    },
    someone: 'Alguém',
    theAgent: 'o agente',
    footer: 'Você recebe este e-mail por causa da sua função na gestão da qualidade do Earshot. Escolha quais e-mails deseja receber',
    prefs: 'Preferências de notificação',
    assigned: {
      subject: (s) => `Avaliação atribuída: ${s.agentName} — ${s.title}`,
      lead: (s) => `${s.who} pediu que você avalie ${s.agent} na interação ${s.conv}.`,
    },
    reminder: {
      subjectOverdue: (s) => `Atrasada: avaliação de ${s.agentName} — ${s.title}`,
      subject: (s) => `Lembrete: avaliação de ${s.agentName} com prazo em ${s.due} — ${s.title}`,
      leadOverdue: (s) => `Sua avaliação de ${s.agent} em ${s.conv} vencia em ${s.due} e ainda não foi enviada.`,
      lead: (s) => `Sua avaliação de ${s.agent} em ${s.conv} vence em ${s.due}.`,
    },
    openReview: 'Abrir a avaliação',
    submitted: {
      subject: (s) => `Sua interação foi avaliada: ${s.title}`,
      lead: (s) => `${s.evaluator} avaliou sua interação ${s.conv}. Você pode aceitar ou contestar a avaliação.`,
      leadRevised: (s) => `${s.evaluator} reavaliou sua interação ${s.conv}.`,
    },
    seeResult: 'Ver meu resultado',
    acknowledged: {
      subject: (s) => `Avaliação aceita: ${s.title}`,
      leadAuto: (s) => `Sua avaliação de ${s.agent} em ${s.conv} foi aceita automaticamente (o prazo para resposta terminou).`,
      lead: (s) => `${s.agent} aceitou a avaliação de ${s.conv}.`,
      action: 'Abrir a avaliação',
    },
    disputeRaised: {
      subject: (s) => `Avaliação contestada: ${s.title}`,
      lead: (s) => `${s.agent} contesta a avaliação de ${s.conv}. Você pode confirmá-la ou reavaliar.`,
      action: 'Tratar a contestação',
    },
    disputeResolved: {
      subject: (s) => `Contestação resolvida: ${s.title}`,
      leadReevaluated: (s) => `${s.who} reavaliou sua interação ${s.conv} após a sua contestação.`,
      leadReaffirmed: (s) => `${s.who} confirmou a avaliação da sua interação ${s.conv}.`,
    },
    calibration: {
      subject: (s) => `Sessão de calibração: ${s.calibName}`,
      lead: (s) => `${s.who} convidou você para a sessão de calibração ${s.calib}: avalie ${s.conv} sem ver as pontuações dos outros.`,
      action: 'Abrir a sessão',
    },
    mention: {
      subject: (s) => `${s.who} mencionou você: ${s.title}`,
      lead: (s) => `${s.who} mencionou você em um comentário sobre ${s.conv}.`,
      action: 'Ver o comentário',
    },
  },
  de: {
    labels: {
      conversation: 'Interaktion',
      started: 'Beginn',
      agent: 'Agent',
      evaluator: 'Bewerter',
      scorecard: 'Bewertungsbogen',
      due: 'Fällig',
      score: 'Punktzahl',
      result: 'Ergebnis',
      passed: 'Bestanden',
      failed: 'Nicht bestanden',
      autoFailed: 'Nicht bestanden (automatisches K.-o.-Kriterium)',
      revision: 'Revision',
    },
    someone: 'Jemand',
    theAgent: 'den Agenten',
    footer: 'Sie erhalten diese E-Mail aufgrund Ihrer Rolle im Qualitätsmanagement von Earshot. Wählen Sie, welche E-Mails Sie erhalten',
    prefs: 'Benachrichtigungseinstellungen',
    assigned: {
      subject: (s) => `Bewertung zugewiesen: ${s.agentName} — ${s.title}`,
      lead: (s) => `${s.who} bittet Sie, ${s.agent} in der Interaktion ${s.conv} zu bewerten.`,
    },
    reminder: {
      subjectOverdue: (s) => `Überfällig: Bewertung von ${s.agentName} — ${s.title}`,
      subject: (s) => `Erinnerung: Bewertung von ${s.agentName} fällig am ${s.due} — ${s.title}`,
      leadOverdue: (s) => `Ihre Bewertung von ${s.agent} in ${s.conv} war am ${s.due} fällig und ist noch nicht abgeschickt.`,
      lead: (s) => `Ihre Bewertung von ${s.agent} in ${s.conv} ist am ${s.due} fällig.`,
    },
    openReview: 'Bewertung öffnen',
    submitted: {
      subject: (s) => `Ihre Interaktion wurde bewertet: ${s.title}`,
      lead: (s) => `${s.evaluator} hat Ihre Interaktion ${s.conv} bewertet. Sie können die Bewertung bestätigen oder anfechten.`,
      leadRevised: (s) => `${s.evaluator} hat Ihre Interaktion ${s.conv} neu bewertet.`,
    },
    seeResult: 'Mein Ergebnis ansehen',
    acknowledged: {
      subject: (s) => `Bewertung bestätigt: ${s.title}`,
      leadAuto: (s) => `Ihre Bewertung von ${s.agent} in ${s.conv} wurde automatisch bestätigt (die Antwortfrist ist abgelaufen).`,
      lead: (s) => `${s.agent} hat die Bewertung von ${s.conv} bestätigt.`,
      action: 'Bewertung öffnen',
    },
    disputeRaised: {
      subject: (s) => `Bewertung angefochten: ${s.title}`,
      lead: (s) => `${s.agent} ficht die Bewertung von ${s.conv} an. Sie können sie bestätigen oder neu bewerten.`,
      action: 'Einspruch bearbeiten',
    },
    disputeResolved: {
      subject: (s) => `Einspruch bearbeitet: ${s.title}`,
      leadReevaluated: (s) => `${s.who} hat Ihre Interaktion ${s.conv} nach Ihrem Einspruch neu bewertet.`,
      leadReaffirmed: (s) => `${s.who} hat die Bewertung Ihrer Interaktion ${s.conv} bestätigt.`,
    },
    calibration: {
      subject: (s) => `Kalibrierungssitzung: ${s.calibName}`,
      lead: (s) => `${s.who} hat Sie zur Kalibrierungssitzung ${s.calib} eingeladen: Bewerten Sie ${s.conv}, ohne die Bewertungen der anderen zu sehen.`,
      action: 'Sitzung öffnen',
    },
    mention: {
      subject: (s) => `${s.who} hat Sie erwähnt: ${s.title}`,
      lead: (s) => `${s.who} hat Sie in einem Kommentar zu ${s.conv} erwähnt.`,
      action: 'Kommentar ansehen',
    },
  },
  ru: {
    labels: {
      conversation: 'Взаимодействие',
      started: 'Начало',
      agent: 'Оператор',
      evaluator: 'Оценщик',
      scorecard: 'Оценочная форма',
      due: 'Срок',
      score: 'Баллы',
      result: 'Результат',
      passed: 'Пройдено',
      failed: 'Не пройдено',
      autoFailed: 'Не пройдено (автоматический провал)',
      revision: 'Редакция',
    },
    someone: 'Кто-то',
    theAgent: 'оператора',
    footer: 'Вы получили это письмо из-за вашей роли в управлении качеством Earshot. Выберите, какие письма получать',
    prefs: 'Настройки уведомлений',
    assigned: {
      subject: (s) => `Назначена оценка: ${s.agentName} — ${s.title}`,
      lead: (s) => `${s.who} просит вас оценить ${s.agent} во взаимодействии ${s.conv}.`,
    },
    reminder: {
      subjectOverdue: (s) => `Просрочено: оценка ${s.agentName} — ${s.title}`,
      subject: (s) => `Напоминание: оценка ${s.agentName} до ${s.due} — ${s.title}`,
      leadOverdue: (s) => `Срок вашей оценки ${s.agent} во взаимодействии ${s.conv} истёк ${s.due}, а оценка ещё не отправлена.`,
      lead: (s) => `Вашу оценку ${s.agent} во взаимодействии ${s.conv} нужно отправить до ${s.due}.`,
    },
    openReview: 'Открыть оценку',
    submitted: {
      subject: (s) => `Ваше взаимодействие оценено: ${s.title}`,
      lead: (s) => `${s.evaluator} оценил(а) ваше взаимодействие ${s.conv}. Вы можете принять оценку или оспорить её.`,
      leadRevised: (s) => `${s.evaluator} повторно оценил(а) ваше взаимодействие ${s.conv}.`,
    },
    seeResult: 'Посмотреть мой результат',
    acknowledged: {
      subject: (s) => `Оценка принята: ${s.title}`,
      leadAuto: (s) => `Ваша оценка ${s.agent} во взаимодействии ${s.conv} принята автоматически (срок ответа истёк).`,
      lead: (s) => `${s.agent} принял(а) оценку взаимодействия ${s.conv}.`,
      action: 'Открыть оценку',
    },
    disputeRaised: {
      subject: (s) => `Оценка оспорена: ${s.title}`,
      lead: (s) => `${s.agent} оспаривает оценку взаимодействия ${s.conv}. Вы можете подтвердить её или оценить заново.`,
      action: 'Рассмотреть возражение',
    },
    disputeResolved: {
      subject: (s) => `Возражение рассмотрено: ${s.title}`,
      leadReevaluated: (s) => `${s.who} заново оценил(а) ваше взаимодействие ${s.conv} после вашего возражения.`,
      leadReaffirmed: (s) => `${s.who} подтвердил(а) оценку вашего взаимодействия ${s.conv}.`,
    },
    calibration: {
      subject: (s) => `Сессия калибровки: ${s.calibName}`,
      lead: (s) => `${s.who} приглашает вас в сессию калибровки ${s.calib}: оцените ${s.conv}, не видя оценок других участников.`,
      action: 'Открыть сессию',
    },
    mention: {
      subject: (s) => `${s.who} упомянул(а) вас: ${s.title}`,
      lead: (s) => `${s.who} упомянул(а) вас в комментарии к ${s.conv}.`,
      action: 'Посмотреть комментарий',
    },
  },
  cs: {
    labels: {
      conversation: 'Interakce',
      started: 'Začátek',
      agent: 'Operátor',
      evaluator: 'Hodnotitel',
      scorecard: 'Hodnoticí formulář',
      due: 'Termín',
      score: 'Skóre',
      result: 'Výsledek',
      passed: 'Vyhověl',
      failed: 'Nevyhověl',
      autoFailed: 'Nevyhověl (automatické nesplnění)',
      revision: 'Revize',
    },
    someone: 'Někdo',
    theAgent: 'operátora',
    footer: 'Tento e-mail dostáváte kvůli své roli v řízení kvality Earshot. Vyberte, které e-maily chcete dostávat',
    prefs: 'Nastavení oznámení',
    assigned: {
      subject: (s) => `Přidělené hodnocení: ${s.agentName} — ${s.title}`,
      lead: (s) => `${s.who} vás žádá o hodnocení: ${s.agent}, interakce ${s.conv}.`,
    },
    reminder: {
      subjectOverdue: (s) => `Po termínu: hodnocení ${s.agentName} — ${s.title}`,
      subject: (s) => `Připomínka: hodnocení ${s.agentName} s termínem ${s.due} — ${s.title}`,
      leadOverdue: (s) => `Vaše hodnocení (${s.agent}, interakce ${s.conv}) mělo být hotové ${s.due} a ještě není odeslané.`,
      lead: (s) => `Vaše hodnocení (${s.agent}, interakce ${s.conv}) má termín ${s.due}.`,
    },
    openReview: 'Otevřít hodnocení',
    submitted: {
      subject: (s) => `Vaše interakce byla ohodnocena: ${s.title}`,
      lead: (s) => `Hodnotitel ${s.evaluator} ohodnotil vaši interakci ${s.conv}. Hodnocení můžete přijmout, nebo napadnout.`,
      leadRevised: (s) => `Hodnotitel ${s.evaluator} znovu ohodnotil vaši interakci ${s.conv}.`,
    },
    seeResult: 'Zobrazit můj výsledek',
    acknowledged: {
      subject: (s) => `Hodnocení přijato: ${s.title}`,
      leadAuto: (s) => `Vaše hodnocení (${s.agent}, interakce ${s.conv}) bylo přijato automaticky (lhůta pro odpověď vypršela).`,
      lead: (s) => `Hodnocení interakce ${s.conv} přijal(a): ${s.agent}.`,
      action: 'Otevřít hodnocení',
    },
    disputeRaised: {
      subject: (s) => `Hodnocení napadeno: ${s.title}`,
      lead: (s) => `Hodnocení interakce ${s.conv} napadl(a): ${s.agent}. Můžete ho potvrdit, nebo hodnotit znovu.`,
      action: 'Vyřídit námitku',
    },
    disputeResolved: {
      subject: (s) => `Námitka vyřízena: ${s.title}`,
      leadReevaluated: (s) => `Na základě vaší námitky znovu ohodnotil(a) vaši interakci ${s.conv}: ${s.who}.`,
      leadReaffirmed: (s) => `Hodnocení vaší interakce ${s.conv} potvrdil(a): ${s.who}.`,
    },
    calibration: {
      subject: (s) => `Kalibrační relace: ${s.calibName}`,
      lead: (s) => `${s.who} vás zve do kalibrační relace ${s.calib}: ohodnoťte ${s.conv}, aniž byste viděli hodnocení ostatních.`,
      action: 'Otevřít relaci',
    },
    mention: {
      subject: (s) => `Zmínka od uživatele ${s.who}: ${s.title}`,
      lead: (s) => `${s.who} vás zmínil(a) v komentáři k interakci ${s.conv}.`,
      action: 'Zobrazit komentář',
    },
  },
};

function body(f: MailFacts): Body {
  const x = TEXTS[f.lang];
  const l = x.labels;
  const who = f.actorName || x.someone;
  const title = f.conversationTitle ?? '';
  const say: Say = {
    who,
    agent: f.agentName ?? x.theAgent,
    agentName: f.agentName ?? '',
    evaluator: f.evaluatorName ?? who,
    conv: quote(f.lang, title),
    title,
    calib: quote(f.lang, f.calibrationName ?? ''),
    calibName: f.calibrationName ?? title,
    due: f.dueAt ?? '',
  };
  // The agent acknowledging or disputing is named by name, or else by who acted.
  const agentOrWho = { ...say, agent: f.agentName ?? who };
  const result = f.autoFailed ? l.autoFailed : f.passed === true ? l.passed : f.passed === false ? l.failed : undefined;
  const common: Array<[string, string | undefined]> = [
    [l.conversation, f.conversationTitle],
    [l.started, f.startedAt],
  ];
  switch (f.event) {
    case 'evaluation_assigned':
      return {
        subject: x.assigned.subject(say),
        lead: x.assigned.lead(say),
        facts: [...common, [l.agent, f.agentName], [l.scorecard, f.scorecardName], [l.due, f.dueAt]],
        action: x.openReview,
      };
    case 'evaluation_reminder':
      return {
        subject: f.overdue ? x.reminder.subjectOverdue(say) : x.reminder.subject(say),
        lead: f.overdue ? x.reminder.leadOverdue(say) : x.reminder.lead(say),
        facts: [...common, [l.agent, f.agentName], [l.scorecard, f.scorecardName], [l.due, f.dueAt]],
        action: x.openReview,
      };
    case 'evaluation_submitted':
      return {
        subject: x.submitted.subject(say),
        lead: (f.revision ?? 1) > 1 ? x.submitted.leadRevised(say) : x.submitted.lead(say),
        facts: [
          ...common,
          [l.scorecard, f.scorecardName],
          [l.score, f.score],
          [l.result, result],
          [l.revision, (f.revision ?? 1) > 1 ? String(f.revision) : undefined],
        ],
        action: x.seeResult,
      };
    case 'evaluation_acknowledged':
      return {
        subject: x.acknowledged.subject(say),
        lead: f.auto ? x.acknowledged.leadAuto(say) : x.acknowledged.lead(agentOrWho),
        facts: [...common, [l.evaluator, f.evaluatorName], [l.scorecard, f.scorecardName], [l.score, f.score]],
        quote: f.reason,
        action: x.acknowledged.action,
      };
    case 'dispute_raised':
      return {
        subject: x.disputeRaised.subject(say),
        lead: x.disputeRaised.lead(agentOrWho),
        facts: [...common, [l.evaluator, f.evaluatorName], [l.scorecard, f.scorecardName], [l.score, f.score]],
        quote: f.reason,
        action: x.disputeRaised.action,
      };
    case 'dispute_resolved':
      return {
        subject: x.disputeResolved.subject(say),
        lead: f.outcome === 'reevaluated' ? x.disputeResolved.leadReevaluated(say) : x.disputeResolved.leadReaffirmed(say),
        facts: [...common, [l.scorecard, f.scorecardName], [l.score, f.score], [l.result, result]],
        quote: f.reason,
        action: x.seeResult,
      };
    case 'calibration_assigned':
      return {
        subject: x.calibration.subject(say),
        lead: x.calibration.lead(say),
        facts: [...common, [l.agent, f.agentName], [l.scorecard, f.scorecardName], [l.due, f.dueAt]],
        action: x.calibration.action,
      };
    case 'comment_mention':
      return {
        subject: x.mention.subject(say),
        lead: x.mention.lead(say),
        facts: common,
        quote: f.excerpt,
        action: x.mention.action,
      };
  }
}

export function renderQualityMail(f: MailFacts): QualityMail {
  const b = body(f);
  const x = TEXTS[f.lang];
  const facts = b.facts.filter((y): y is [string, string] => typeof y[1] === 'string' && y[1] !== '');
  const prefs = `${f.base}/profile/notifications`;
  // French sets a space before the colon of a label; the other languages do not.
  const colon = f.lang === 'fr' ? ' :' : ':';
  const text =
    `${b.lead}\n\n` +
    (facts.length ? `${facts.map(([k, v]) => `${k}${colon} ${v}`).join('\n')}\n\n` : '') +
    (b.quote
      ? `${b.quote
          .split('\n')
          .map((line) => `> ${line}`)
          .join('\n')}\n\n`
      : '') +
    `${b.action}${colon} ${f.link}\n\n--\n${x.footer}${colon} ${prefs}\n`;
  const html =
    `<p>${esc(b.lead)}</p>` +
    (facts.length
      ? `<table>${facts.map(([k, v]) => `<tr><td style="color:#666;padding-right:12px">${esc(k)}</td><td>${esc(v)}</td></tr>`).join('')}</table>`
      : '') +
    (b.quote ? `<blockquote style="border-left:3px solid #ccc;margin:12px 0;padding-left:12px;white-space:pre-wrap">${esc(b.quote)}</blockquote>` : '') +
    `<p><a href="${esc(f.link)}">${esc(b.action)}</a></p>` +
    `<hr><p style="color:#666;font-size:12px">${esc(x.footer)}: <a href="${esc(prefs)}">${esc(x.prefs)}</a></p>`;
  return { subject: `Earshot: ${b.subject}`.replace(/\s+/g, ' ').trim(), text, html };
}
