// Billing, payments, refunds, cancellations and retention (telecom, streaming, subscriptions). Written by the
// Earshot developers; see README.md in this folder.

export const BILLING = `
i'm calling about a charge on my bill that i don't recognize.
there's a charge on my bill i don't understand.
my bill is higher than usual this month.
why did my bill go up?
my bill went up by twenty dollars and nobody told me.
i was charged twice this month.
i think i was double charged.
there's a late fee on my account but i paid on time.
i was charged a late fee even though my payment went through.
can you waive the late fee?
i'd like the late fee removed please.
i went ahead and waived the late fee for you.
i've waived that fee as a one time courtesy.
the late fees have been waived.
i can see the payment was received on the third.
your payment was posted on the fifth.
the payment was processed a day late because of the holiday.
i can see what happened here.
it looks like the promotional rate expired last month.
your promotional discount ended, so the price went back to the regular rate.
the twelve month promotion ended in march.
that charge is for the equipment rental.
that's a one time activation fee.
that's the installation charge.
that's a prorated charge for the partial month.
the first bill is usually higher because it includes a partial month.
that charge is for the premium channels you added.
it looks like you were charged for a service you cancelled.
i'm going to issue a credit for that amount.
i've applied a credit of fifteen dollars to your account.
you'll see the credit on your next statement.
the credit will show up on your next bill.
i can offer you a credit of ten dollars for the trouble.
the refund will take five to seven business days.
you should see the refund in three to five business days.
the refund will go back to the card you paid with.
i've processed a refund for the duplicate charge.
can i get a refund?
i want a full refund.
i'd like my money back.
i never authorized that charge.
i didn't sign up for that.
i never ordered that.
i didn't agree to that price.
i was told it would be fifty dollars a month.
the sales rep told me there wouldn't be any extra fees.
your current balance is eighty nine dollars and fifty cents.
your balance is one hundred and twelve dollars.
the amount due is sixty four dollars and twenty cents.
your next bill is due on the fifteenth.
your payment is due on the first of every month.
your account is past due.
your account is thirty days past due.
would you like to make a payment today?
i'd like to make a payment.
i want to pay my bill.
can i pay over the phone?
how would you like to pay today?
would you like to use the card on file?
i can set up a payment arrangement for you.
we can split the balance into two payments.
would you like to set up autopay?
i'd like to sign up for automatic payments.
if you enroll in autopay, you'll get a five dollar discount.
would you like to switch to paperless billing?
i'd like to go paperless.
i'd like to get my bills by email instead of mail.
i'd like to change my billing date.
can i move my due date to the fifteenth?
can you explain my statement?
can you walk me through the charges?
the first line is your monthly plan.
the second charge is taxes and fees.
the taxes and surcharges are about eight dollars.
i'd like to cancel my service.
i want to cancel my account.
i'm calling to cancel.
i'd like to cancel my subscription.
i need to cancel my membership.
how do i cancel?
i want to cancel effective immediately.
i'm sorry to hear you want to cancel, may i ask why?
can i ask what's prompting the cancellation?
is there a reason you're cancelling today?
it's just too expensive.
i can't afford it anymore.
i found a cheaper plan with another company.
i'm switching to another provider.
i'm switching to a competitor, they offered me a better deal.
they're offering me the same thing for half the price.
i'm moving out of state.
i'm moving to an area you don't serve.
i don't use it enough anymore.
the service has been terrible lately.
i've had nothing but problems.
before you go, i'd like to see if there's anything i can do to keep you.
i understand, let me see what offers are available.
i can offer you a discount of twenty percent for the next twelve months.
i can lower your bill to forty five dollars a month.
i can give you three months free.
i can waive the cancellation fee.
there is an early termination fee of one hundred and fifty dollars.
if you cancel now, there's an early cancellation fee.
you're still under contract until june.
your contract ends in october.
your plan is month to month, so there's no cancellation fee.
would you be interested in a cheaper plan?
we have a basic plan that might fit your needs better.
i could move you to a lower tier.
that sounds better, let's do that.
okay, i'll stay if you can do that.
no, i still want to cancel.
i've made up my mind.
just cancel it please.
okay, i've processed the cancellation.
your service will end at the end of your billing cycle.
your cancellation is effective today.
you'll receive a final bill.
you'll need to return the equipment within thirty days.
we'll send you a prepaid box to return the modem.
i'd like to upgrade my plan.
i'd like to add a line.
i want to add another line for my daughter.
can i add a phone to my plan?
i'd like to downgrade my plan.
i'd like to remove a line.
what plans do you have?
what's the cheapest plan you have?
the unlimited plan is sixty dollars a month per line.
with the family plan you get four lines.
the unlimited family plan includes hotspot data.
you're currently on the basic plan.
would you like to upgrade to the premium plan?
the premium plan includes streaming at no extra cost.
i can add that for just ten dollars more a month.
there's a promotion right now for new lines.
you're eligible for an upgrade.
you're eligible for a new phone.
your data usage was over the limit this month.
you went over your data by two gigabytes.
you were charged for international roaming.
did you travel outside the country last month?
i was in mexico for a week.
we have an international day pass for ten dollars a day.
i can remove the roaming charges this one time.
your streaming subscription renews on the twentieth.
you were charged for the annual subscription.
i didn't mean to renew for another year.
i can refund the annual renewal since you haven't used it.
`;
