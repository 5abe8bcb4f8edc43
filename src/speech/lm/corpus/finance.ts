// Banking and cards, insurance, fitness memberships, retail orders and deliveries. Written by the Earshot
// developers; see README.md in this folder.

export const FINANCE = `
i'd like to report a lost card.
i lost my debit card.
my credit card was stolen.
i think someone used my card.
there's a transaction i don't recognize.
there's a purchase on my card that i didn't make.
i see a charge from an online store i've never used.
i'm going to block the card right away.
i've blocked your card so no one else can use it.
i'll send you a new card in five to seven business days.
would you like to expedite the new card?
we'll open a dispute for that transaction.
i've opened a fraud claim for you.
you'll get a provisional credit while we investigate.
the investigation takes up to ten business days.
can you verify the last four digits of the card?
the card ends in four four two one.
what's the card number?
the card number is five two eight three, zero nine one seven, three three six four, eight eight one two.
and the expiration date?
it expires oh nine twenty seven.
the expiry date is twelve twenty six.
and the three digit security code on the back?
the security code is one two three.
the cvv is four five six.
i'd like to make a payment on my credit card.
i want to pay off my balance.
what's my available credit?
your available credit is two thousand dollars.
your credit limit is five thousand dollars.
i'd like to request a credit limit increase.
i'd like to dispute a charge.
my card was declined.
why was my card declined?
your card was declined because of a security hold.
we noticed some unusual activity on your account.
did you make a purchase at a gas station in ohio?
yes, that was me.
no, that wasn't me.
i'm traveling abroad next week.
i'd like to set up a travel notice.
i've added a travel notice for those dates.
i'd like to open a savings account.
i'd like to check my account balance.
your checking account balance is four hundred and twenty dollars.
i'd like to transfer money between accounts.
i need to wire money.
i'd like to stop a check.
my direct deposit hasn't shown up.
when will my deposit be available?
there's a hold on the deposit until tuesday.
i was charged an overdraft fee.
can you waive the overdraft fee?
i can refund the overdraft fee this one time.
i'd like to sign up for online banking.
the everyday checking account has no monthly fee.
the platinum rewards card earns two percent cash back.
you've earned three thousand reward points.
i'd like to redeem my points.
what's the interest rate?
the interest rate is nineteen point nine percent.
your minimum payment is thirty five dollars.
i'm calling about my car insurance.
i need to file a claim.
i was in an accident yesterday.
is everyone okay?
yes, nobody was hurt.
i'm glad nobody was hurt.
can you tell me what happened?
someone rear ended me at a red light.
a tree fell on my roof during the storm.
my basement flooded.
my car was broken into.
do you have the other driver's insurance information?
did you file a police report?
i'll open a claim for you now.
your claim number is seven seven four two.
an adjuster will contact you within two business days.
the adjuster will come out to inspect the damage.
your deductible is five hundred dollars.
your policy covers rental cars up to thirty dollars a day.
does my policy cover that?
let me check your coverage.
your policy includes roadside assistance.
you have comprehensive and collision coverage.
your premium is going up at renewal.
why did my premium go up?
rates went up across the state this year.
we can look at raising your deductible to lower your premium.
you qualify for a multi policy discount if you bundle home and auto.
i'd like to add my son to my policy.
i'd like to add a new car to my policy.
can you read me your policy number?
my policy number is h s four four two nine one.
i'd like to cancel my policy.
your policy renews on the first of next month.
i'd like a copy of my insurance card.
i'll email you a copy of your proof of insurance.
home shield covers your appliances and systems.
i'd like to cancel my gym membership.
i want to freeze my membership for two months.
i'm moving and there's no gym near my new place.
i got injured and can't work out for a while.
we can put your membership on hold for up to three months.
there's a ten dollar monthly fee while your membership is frozen.
i'd like to upgrade to the premium membership.
the premium membership includes all locations and group classes.
it also includes personal training sessions.
you'll get two free personal training sessions.
the upgrade is an extra fifteen dollars a month.
can i bring a guest?
the premium membership includes unlimited guest passes.
i love the new classes.
my trainer has been amazing.
i've lost twenty pounds since i joined.
that's fantastic, congratulations.
i'd like to switch to the annual plan.
if you pay for the year up front, you save two months.
where is my order?
my order hasn't arrived yet.
my delivery was supposed to come yesterday.
the tracking says it was delivered but i don't have it.
my package was damaged.
the couch arrived with a tear in the fabric.
the table came with a broken leg.
they delivered the wrong color.
i ordered a sofa six weeks ago and it still hasn't come.
your order is on back order.
the new delivery date is the twenty second.
it's scheduled for delivery next tuesday.
i can reschedule the delivery for you.
the delivery window is between nine and one.
i can send a replacement.
i can arrange a pickup of the damaged item.
would you like a replacement or a refund?
i'd like a refund.
i'd like to return this item.
you have thirty days to return it.
the return shipping is free.
there's a restocking fee of fifteen percent.
i can waive the restocking fee.
i'll email you a return label.
your order number is one two three four five.
can i have your order number?
it's on the confirmation email.
i'd like to change my shipping address.
i'd like to cancel my order.
your order has already shipped, so i can't cancel it.
the warranty covers manufacturing defects for one year.
the extended warranty covers accidental damage.
`;
