// More everyday contact-center talk: appointments, travel, shipping, healthcare front desks, subscriptions,
// account changes, and the small talk around them. Written by the Earshot developers; see README.md in this folder.

export const MORE = `
i'd like to schedule an appointment.
i need to reschedule my appointment.
i need to cancel my appointment for tomorrow.
what times do you have available next week?
we have an opening on wednesday at ten thirty.
does two o'clock work for you?
that works for me.
that doesn't work, do you have anything later in the day?
i can put you on the waiting list.
we'll send you a reminder the day before.
please arrive fifteen minutes early.
please bring your insurance card and a photo id.
is this your first visit with us?
has anything changed since your last visit?
i'd like to check on the status of my order.
i'd like to check on the status of my claim.
i'd like to check on the status of my refund.
i'm calling to follow up on a previous call.
i called last week and was told someone would call me back.
i have a case number from my last call.
let me look up that case for you.
i can see the notes from your previous call.
it looks like the issue was never resolved.
i'm sorry nobody followed up with you.
i'll take ownership of this and make sure it gets done.
i'd like to update my address.
i'd like to change the phone number on my account.
i'd like to update my email address.
i'd like to add my wife as an authorized user.
i'd like to remove my ex husband from the account.
can i add someone to my account?
they'll need to call in with you to be added.
i need to change the name on the account.
i'd like to close my account.
i'd like to transfer the account to my son.
i'd like to update my payment method.
my card on file expired.
i got a new card, can you update it?
i'd like to use a different card.
can i pay with a bank account?
i'd like to set up a payment plan.
i'd like to speak with someone in sales.
i'm interested in your new plans.
i saw an ad for a special offer.
i'd like to know more about the offer on your website.
that offer is only for new customers.
as an existing customer, i can offer you something similar.
i can match that price.
i can't match that price, but i can give you a discount.
that's a great deal.
i'll take it.
let me think about it and call you back.
can you send me the details in writing?
i'll email you a summary of everything we discussed.
you'll get an email with the new terms.
the new price will start on your next bill.
the change will take effect immediately.
your new plan starts today.
you won't be charged until next month.
i've gone ahead and made that change for you.
everything is all set.
you're all set.
you should be good to go.
is there anything else on your mind?
my flight was cancelled.
i need to change my flight.
i'd like to book a room for two nights.
my reservation was cancelled without notice.
i'd like to add a checked bag.
my luggage didn't arrive.
i'd like to request a refund for my ticket.
i'd like to upgrade my seat.
my package says delivered but it's not here.
the driver left it at the wrong address.
i'll file a claim with the carrier.
we'll ship a replacement overnight at no charge.
the tracking number is in your email.
the package is out for delivery today.
it looks like the package is delayed.
there was a delay at the warehouse.
the item is out of stock.
it should be back in stock in two weeks.
would you like me to notify you when it's back in stock?
the sale ends on sunday.
you can pick it up in store.
the store is open from nine to nine.
what are your hours?
we're open monday through friday, eight to six.
where is the nearest location?
the nearest store is on main street.
do you have parking?
i'd like to speak to someone in english.
can you hold while i look that up?
i'm looking at your account now.
it's showing that your account is active.
it's showing a balance of zero.
it's showing the service was suspended.
your service was suspended for non payment.
once the payment goes through, your service will be restored.
it can take up to an hour to reconnect.
i'm going to restore your service now.
i don't see any record of that.
i don't see a payment on the account.
do you have a confirmation number for the payment?
can you send me a screenshot of the receipt?
i paid it online last tuesday.
i paid at the store.
i mailed a check.
it may take a few days for a mailed check to post.
i can see it now, it posted this morning.
the system was down for maintenance.
sorry, my computer is running a little slow today.
sorry about that, my system froze for a second.
can you give me one second?
bear with me.
thanks for bearing with me.
it's been a long day.
how are you doing today?
i'm doing well, thank you, how are you?
i'm good, thanks for asking.
not great, to be honest.
how's the weather where you are?
it's raining here today.
i hope you have a better day.
i'm going to make sure this doesn't happen again.
i've flagged your account so this doesn't happen again.
i'm going to send feedback to the team.
i'll pass that along to our management team.
you'll receive a call from our resolution team.
they'll reach out within two business days.
i'm sorry, that's our policy.
unfortunately, i'm not able to do that.
i don't have the ability to do that from my end.
let me see if i can get an exception.
i was able to get that approved.
good news, i got the fee waived.
i was able to get you a credit.
i'm glad we could resolve this.
i'm happy i could help today.
thank you for being patient with me.
thank you for your understanding.
you're very kind.
no worries.
not a problem.
it happens.
that's okay.
don't worry about it.
i really appreciate you taking care of this.
you've been great.
you were a big help.
i'll definitely recommend you to my friends.
i'm really happy with the service.
i love my new plan.
everything has been working perfectly.
it's so much faster now.
thanks again, bye.
alright, thank you, bye now.
goodbye.
`;
