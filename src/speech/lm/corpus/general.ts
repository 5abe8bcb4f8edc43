// Contact-center dialogue written by the Earshot developers for the pocketsphinx language model: greetings,
// identification, holds and transfers, empathy, closings. See README.md in this folder.

export const GENERAL = `
thank you for calling, my name is sarah, how can i help you today?
thanks for calling, this is mike speaking, how may i help you?
good morning, thank you for calling customer service, who am i speaking with?
good afternoon, you've reached the billing department, how can i help?
good evening and thank you for holding, how can i assist you today?
hello, thanks for calling, what can i do for you today?
hi, thank you for calling, this call may be recorded for quality and training purposes.
please note this call may be recorded for quality assurance.
just so you know, you are on a recorded line.
this call is being recorded for training purposes.
before we begin, i need to let you know this call may be monitored or recorded.
hi, yes, i'm calling about my bill.
hello, i have a question about my account.
hi there, i was hoping you could help me with something.
yes, hi, i'm calling because i have a problem with my service.
hi, um, i got a letter in the mail and i'm not sure what it means.
hello, i'd like to speak to someone about my account please.
i've been trying to get through for an hour.
i've called three times already about this.
i was on hold for forty five minutes.
sure, i can help you with that.
i'd be happy to help you with that today.
absolutely, let me take a look at that for you.
of course, let me pull up your account.
no problem at all, let me check that for you.
can i have your name please?
may i have your full name please?
could you please spell your last name for me?
can i get the phone number on the account please?
what is the phone number associated with the account?
can you confirm the email address on file?
could you verify your date of birth for me?
for security, can you give me the last four digits of your social?
can you confirm the address on the account?
what's the zip code on the account?
can i get your account number please?
do you have your account number handy?
could you read me the policy number?
can you confirm the name on the card?
thank you, i've found your account.
thank you for verifying that information.
perfect, thank you, i see your account here.
great, i have your account pulled up now.
okay, bear with me one moment while i look into this.
let me just check something real quick.
one moment please.
just a moment while i pull that up.
can you hold for just a minute?
would you mind if i put you on a brief hold?
i'm going to place you on hold for a couple of minutes, is that okay?
sure, go ahead.
yes, that's fine.
okay, i'll wait.
thank you for holding.
thank you so much for your patience.
thanks for waiting, i appreciate your patience.
sorry about the wait.
i'm sorry for the long hold time.
i'm going to transfer you to the right department.
let me transfer you to our billing team, they can help you with that.
i'll connect you with a specialist.
please stay on the line while i transfer your call.
i'm transferring you now, please hold.
hi, this is david in billing, i understand you have a question about a charge.
hi, my colleague told me about your issue, let me see what i can do.
i'm sorry to hear that.
i'm so sorry about that.
i'm really sorry for the trouble.
i apologize for the inconvenience.
i apologize for any confusion.
i understand how frustrating that must be.
i completely understand.
i understand your concern.
i hear you, and i want to get this fixed for you.
that must be really frustrating, i'm sorry.
sorry to hear you've been having trouble.
i can see why you would be upset.
thank you for bringing this to our attention.
let me see what i can do for you.
i'm going to do everything i can to fix this.
here's what i can do for you.
is there anything else i can help you with today?
is there anything else i can do for you?
anything else i can help with?
no, that's everything, thank you.
no, i think that's it.
that's all i needed, thanks.
actually, yes, one more thing.
oh, one more question.
thank you for calling, have a great day.
thanks for calling, have a good day.
you're welcome, have a wonderful day.
have a nice day.
have a good evening.
have a great weekend.
take care.
thank you, bye.
okay, thanks, bye bye.
you too, goodbye.
thanks so much for your help.
thank you, you've been very helpful.
i really appreciate your help.
i appreciate it.
thank you for your time.
it was my pleasure.
you're very welcome.
my pleasure, glad i could help.
is this a good number to reach you at?
can we call you back at this number if we get disconnected?
if we get disconnected, i'll call you right back.
i'm sorry, i didn't catch that, could you repeat it?
sorry, could you say that again?
sorry, you're breaking up a little.
can you hear me okay?
yes, i can hear you now.
could you speak up a little?
let me read that back to you.
let me repeat that back to make sure i have it right.
is that correct?
yes, that's correct.
no, that's not right.
yes, that's right.
exactly.
right.
okay.
okay, great.
alright.
all right, sounds good.
sounds good to me.
got it.
perfect.
great.
wonderful.
sure.
yes.
yeah.
yes please.
no thanks.
no, thank you.
uh huh.
mm hmm.
um, let me think.
uh, i'm not sure.
um, i think so.
hmm, okay.
oh, okay.
oh, i see.
oh really?
really?
i see.
that makes sense.
that doesn't make sense.
what do you mean?
i don't understand.
can you explain that?
can you explain what that charge is for?
how long will that take?
how much is that going to cost?
when will that take effect?
will i get a confirmation?
i'll send you a confirmation email.
you'll receive a confirmation email shortly.
i'll email you the details by monday.
you should get a text message in a few minutes.
i'll send you a follow up email with the details.
i'll call you back tomorrow morning.
i'll make a note on your account.
i've added a note to your account.
i've documented everything on your account.
your reference number is four seven two one.
do you have a pen to write this down?
let me give you a reference number.
would you like me to stay on the line?
can i help you with anything else?
you can also do this online or in the app.
you can check the status in the app.
you can log into your account online anytime.
is there a supervisor i can talk to?
can i speak to your manager?
i want to talk to a supervisor.
i'd like to speak with a manager please.
let me get my supervisor for you.
my manager will call you back within twenty four hours.
i'll escalate this to my supervisor.
i'm going to escalate this.
i understand you'd like to speak with a manager.
one moment, let me see if a supervisor is available.
this is ridiculous.
this is completely unacceptable.
this is the worst customer service i've ever had.
this is so frustrating.
i've wasted my whole morning on this.
i'm really frustrated.
i'm very disappointed.
i'm not happy about this.
i'm going to file a complaint.
i want to file a complaint.
i'm going to report you to the better business bureau.
i'll be talking to my lawyer.
i'm thinking about switching to another company.
i'm leaving if this isn't fixed.
nobody ever calls me back.
every time i call i get a different answer.
i was promised a call back and nobody called.
you people keep charging me for things i didn't order.
please don't interrupt me.
let me finish.
can you just listen for a second?
i'm sorry, go ahead.
sorry, i didn't mean to cut you off.
i'm listening.
i know, and i'm sorry.
thank you for your feedback.
we value your business.
we really appreciate you being a loyal customer.
you've been with us for a long time.
you've been a customer for over five years.
we appreciate your loyalty.
i'm glad we could sort that out.
i'm glad i could help.
that's great news.
that's wonderful, thank you.
i'm happy to hear that.
awesome, thank you.
that's exactly what i needed.
you've made my day.
you may receive a short survey after this call.
please stay on the line for a short survey.
`;
