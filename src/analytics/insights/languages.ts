// Per-language rules of conversation insights: filler words, next-step (commitment) patterns, question and
// open-question openers, and the contact-center sentiment cues. Written from general knowledge of how agents and
// customers talk, never from the test corpus (docs/analytics.md lists them). A language without an entry here gets
// no fillers, next steps or questions and no sentiment (the insights say so), never a guess.

export interface LanguageRules {
  /** Always fillers, as whole words or phrases. */
  fillers: string[];
  /**
   * Fillers only where set off by punctuation (", like," / "You know, …"): the same words are ordinary words otherwise
   * ("I'd like to", "do you know"). Unpunctuated text (most speech engines) therefore never counts them.
   */
  setOffFillers: string[];
  /** A sentence that matches one of these (and is not a question) is a next step: a commitment or an action item. */
  nextSteps: RegExp[];
  /** Unpunctuated text: a sentence that starts like this is a question. */
  questionOpeners: RegExp;
  /** A question that starts like this is open (asks for an explanation, not yes/no): a "good question". */
  openQuestion: RegExp;
  /** Questions that are formulas, not discovery ("how can I help you?"): not counted as good questions. */
  formulaicQuestion: RegExp;
  /** Sentiment cues that pull a line down, on top of the lexicon (English only: the lexicon is English). */
  cues?: { managerRequest: RegExp; frustration: RegExp; explicit: RegExp };
  /**
   * Courtesy formulas and acknowledgements ("thank you for calling", "have a nice day", "Perfect."): ritual in a
   * service conversation, so they are blanked before the lexicon scores a line; a lexicon would read every polite call
   * as positive. What a customer says about the outcome ("that's great news") still counts.
   */
  courtesy?: RegExp;
  /**
   * Acknowledgements and answers ("Yes", "Okay great.", "Right, okay.", "No, that's all", "That's fine."): how a
   * service dialogue moves on, not how it feels; blanked like courtesy. A sentence made only of them is blanked whole.
   */
  acknowledgements?: RegExp;
  /**
   * The service's own vocabulary, which a general-purpose lexicon scores as feeling: what the call is about (a lost
   * card, an error on the bill, a dispute, a credit, the interest rate, a free trial, customer care, help) is the
   * reason for the contact, not the customer's mood; so are "like" other than a subject's verb ("I'd like to",
   * "like photos") and "make sure". Blanked before scoring; words of feeling ("furious", "relief", "disappointed",
   * "thrilled", "I like it") and the cues still count.
   */
  topical?: RegExp;
}

const EN: LanguageRules = {
  fillers: ['um', 'uh', 'uhm', 'umm', 'erm', 'er', 'ah', 'hmm', 'mm'],
  setOffFillers: ['like', 'you know', 'i mean', 'you see'],
  nextSteps: [
    // "I'll send you…", "we will refund…", "I am going to escalate…"; not what happens right now on the call
    // ("I'll put you on hold", "I'll check") nor politeness ("I'll be happy to")
    /\b(i|we)\s*(?:'ll|will|shall|am going to|'m going to|are going to|'re going to|'m gonna|am gonna)\s+(?!be (?:happy|glad|right|with you)\b|not\b|never\b|have to\b|need\b|try\b|see\b|just\b|quickly\b|put you\b|place you\b|transfer you\b|connect you\b|check\b|look\b|have a look\b|take a look\b|pull up\b|bring up\b|read\b|repeat\b|walk you\b)(?:also\s+|now\s+|personally\s+|then\s+)?\w+/i,
    // "you'll receive…", "you will get an email…", "you should see the credit…"
    /\byou\s*(?:'ll|will|should|are going to|'re going to)\s+(?:also\s+)?(?:receive|get|see|hear|have|be (?:receiving|getting|contacted|charged|credited|refunded|billed|notified|sent))\b/i,
    // "call us back if…", "please call/contact/email/reply…", "feel free to call…"
    /\b(?:call|contact|ring|email|e-mail|reach|message|text)\s+(?:us|me)\s+(?:back\s+)?(?:if|when|once|again|any time|anytime)\b/i,
    /\b(?:please|feel free to|don't hesitate to|do not hesitate to)\s+(?:call|contact|email|e-mail|reply|reach out|get in touch|send|upload|check|visit|log in|sign)\b/i,
    // "it will be credited within…", "the refund will arrive…", "a technician will come…"
    /\b(?:it|this|that|the \w+|your \w+|a \w+|an \w+)\s+(?:will|should)\s+(?:be\s+)?(?:arrive|arrives|sent|shipped|delivered|credited|refunded|applied|processed|removed|cancelled|canceled|activated|scheduled|reviewed|come|reach|show up|appear|follow)\b/i,
    /\b(?:follow up|get back to you|call you back|ring you back|send you|email you|e-mail you|text you)\b/i,
    // someone else's commitment: "an engineer will call you", "our team will be in touch with you"
    /\b(?:will|shall|is going to|are going to)\s+(?:call|contact|email|e-mail|text|visit|reach out to|get in touch with|be in touch with|write to)\s+you\b/i,
  ],
  questionOpeners:
    /^(?:what|how|why|which|when|where|who|whom|whose|is|are|was|were|am|do|does|did|can|could|would|will|shall|should|may|might|have|has|had|isn't|aren't|don't|doesn't|didn't|can't|couldn't|wouldn't|won't)\b/i,
  openQuestion:
    /^(?:(?:and|so|okay|ok|alright|well|now),?\s+)?(?:what|how|why|which|when|where|who|(?:can|could|would) you (?:tell|describe|explain|walk|share|help me understand)|tell me|describe|walk me through|help me understand)\b/i,
  formulaicQuestion:
    /^(?:(?:and|so|okay|ok)\s+)?(?:how (?:can|may) (?:i|we) (?:help|assist)|how are you|is there anything else|what can i do for you|how's it going)\b/i,
  cues: {
    managerRequest:
      /\b(?:(?:speak|talk|talking|speaking)\s+(?:to|with)\s+(?:a|your|the|my|some)?\s*(?:manager|supervisor|boss|superior|someone in charge|somebody in charge)|(?:get|put|give)\s+me\s+(?:a|your|the)\s+(?:manager|supervisor)|(?:i\s+want|i\s+need|i'd\s+like|i\s+demand)\s+(?:a|your|the)\s+(?:manager|supervisor)|escalate\s+(?:this|it|my))\b/i,
    frustration:
      /\b(?:ridiculous|unacceptable|outrageous|absurd|frustrat\w*|infuriat\w*|fed up|sick (?:and tired )?of|waste of (?:my )?time|wasting my time|(?:third|fourth|fifth|sixth|umpteenth) time|again and again|over and over|nobody (?:ever )?(?:helps|listens|calls|answers)|no one (?:ever )?(?:helps|listens|calls|answers)|(?:this|that) is a joke|terrible service|worst (?:service|company|experience)|still (?:not|hasn't|haven't|isn't|doesn't) (?:\w+ )?(?:working|fixed|arrived|resolved)|had enough|enough is enough|how many times|fed-up)\b/i,
    explicit:
      /\b(?:damn\w*|goddamn\w*|crap\w*|shit\w*|bullshit|fuck\w*|bloody|bastard\w*|bitch\w*|asshole\w*|arse\w*|pissed|piss off|screw you|wtf|dick\w*|moron\w*|idiot\w*|stupid)\b|\*{3,}/i,
  },
  courtesy:
    /\b(?:thank(?:s| you)(?: (?:so|very) much)?(?: (?:again|for (?:calling|holding|waiting|your (?:call|patience|time|help|business)|that|the information|confirming|letting me know)))?|(?:you're|you are) (?:very )?welcome|(?:it's |it was )?(?:my|a) pleasure|no problem(?: at all)?|(?:have|enjoy) a (?:nice|good|great|lovely|wonderful) (?:day|evening|afternoon|weekend|one)|good (?:morning|afternoon|evening)|(?:i'm |i am |i'd be |i would be |i'll be |i will be )?(?:happy|glad) to help(?: you)?|please|kind regards|best regards)\b|(?:^|[.!?]\s+)(?:great|perfect|excellent|wonderful|lovely|awesome|fantastic|brilliant|okay|ok|sure|alright|right|good)(?=[,.!]|\s*$)/gi,
  acknowledgements:
    /(?:^|(?<=[.!?]\s+))[\s,]*(?:(?:okay|ok|sure|alright|all right|right|yes|yeah|yep|yup|no|nope|oh|well|great|perfect|excellent|good|fine|cool|lovely|wonderful|brilliant|fantastic|awesome|understood|got it|noted|of course|absolutely|certainly|definitely|sounds good|very good|very well|all good|that works|that's (?:fine|great|good|perfect|right|correct|clear|all|it|everything)|that is (?:fine|great|good|perfect|right|correct|clear|all))\b[\s,]*)+(?=[.!?]|$)|\b(?:yes|yeah|yep|yup)\b|(?:^|(?<=[.!?]\s+))(?:no|nope)(?=,)/gim,
  topical:
    /\b(?:help|support(?:ed)?|credit(?:s|ed)?|interest|free|care|secure|security|protect(?:ion|ed)?|benefits?|problems?|errors?|issues?|mistakes?|fault(?:y)?|lost|stolen|fraud(?:ulent)?|broken|damaged?|wrong|dispute[sd]?|charge[sd]?|cancel(?:led|ling|lation)?|declined|fail(?:ed|ure)?|delay(?:ed)?|missing|suspicious|suspended|blocked|penalty|warning|debt|risk|accident|emergency|complaint)\b|(?<=\bmake\s+)sure\b|(?<!\b(?:i|we|they|you)\s+(?:really\s+|do\s+|also\s+|just\s+|don't\s+|do not\s+)?)\blike\b/gi,
};

const FR: LanguageRules = {
  fillers: ['euh', 'heu', 'euhm', 'hum', 'bah', 'beh'],
  setOffFillers: ['ben', 'genre', 'tu vois', 'vous voyez', 'tu sais', 'vous savez', 'en fait', 'du coup', 'quoi', 'voilà'],
  nextSteps: [
    // "je vais vous envoyer…", "nous allons rembourser…", "je vous rappelle demain"
    /(?<![\p{L}\p{N}'])(?:je|j'|nous|on)\s*(?:vais|allons|va)\s+(?!être ravie?(?![\p{L}\p{N}])|devoir(?![\p{L}\p{N}])|essayer(?![\p{L}\p{N}]))(?:vous\s+|lui\s+|le\s+|la\s+|les\s+)?\w+/iu,
    /(?<![\p{L}\p{N}'])(?:je|nous)\s+vous\s+(?:envoie|envoyons|enverrai|enverrons|rappelle|rappellerai|rappellerons|recontacte|recontacterai|écris|écrirai|confirme|confirmerai|transmets|transmettrai|rembourse|rembourserai)(?![\p{L}\p{N}])/iu,
    // futur simple: "je vous enverrai", "nous traiterons"
    /(?<![\p{L}\p{N}'])(?:je|j'|nous)\s*(?:\w+\s+)?\w+(?:rai|rons)(?![\p{L}\p{N}])/iu,
    // "vous allez recevoir…", "vous recevrez…"
    /(?<![\p{L}\p{N}'])vous\s+(?:allez\s+(?:recevoir|avoir|voir|être\s+(?:contacté|rappelé|remboursé|crédité)e?s?)|recevrez|aurez|verrez|serez\s+(?:contacté|rappelé|remboursé|crédité)e?s?)(?![\p{L}\p{N}])/iu,
    // "rappelez-nous si…", "n'hésitez pas à nous contacter"
    /(?<![\p{L}\p{N}'])(?:rappelez|contactez|écrivez)[- ](?:nous|moi)(?![\p{L}\p{N}])|(?<![\p{L}\p{N}'])n'hésitez pas à(?![\p{L}\p{N}])/iu,
  ],
  questionOpeners:
    /^(?:qu'est-ce|que|quoi|quel|quelle|quels|quelles|comment|pourquoi|quand|où|qui|combien|est-ce|avez-vous|êtes-vous|pouvez-vous|voulez-vous|souhaitez-vous|auriez-vous|pourriez-vous|connaissez-vous|savez-vous)(?![\p{L}\p{N}])/iu,
  openQuestion:
    /^(?:(?:et|alors|donc|d'accord),?\s+)?(?:qu'est-ce|que|quoi|quel|quelle|quels|quelles|comment|pourquoi|quand|où|qui|combien|(?:pouvez|pourriez)-vous (?:me )?(?:dire|décrire|expliquer|préciser))(?![\p{L}\p{N}])/iu,
  formulaicQuestion:
    /^(?:(?:et|alors)\s+)?(?:comment (?:puis|peux)-je vous aider|que puis-je faire pour vous|comment allez-vous|puis-je faire autre chose)(?![\p{L}\p{N}])/iu,
};

const RULES: Record<string, LanguageRules> = { en: EN, fr: FR };

/** "en-US" → the rules of "en"; undefined for a language without rules. */
export function rulesFor(language: string | null | undefined): LanguageRules | undefined {
  if (!language) return undefined;
  return RULES[language.toLowerCase().split(/[-_]/)[0]!];
}

/** Languages with fillers, next steps and questions (docs/analytics.md). */
export const RULE_LANGUAGES = Object.keys(RULES);
/** Languages with sentiment: the lexicon (vader-sentiment) is English. */
export const SENTIMENT_LANGUAGES = ['en'];
