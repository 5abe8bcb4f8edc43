// Technical support (internet, phones, devices, apps) and utilities (power, gas, water, moving service). Written by
// the Earshot developers; see README.md in this folder.

export const SUPPORT = `
my internet keeps dropping.
my internet has been down since yesterday.
my internet is really slow.
the wifi keeps disconnecting.
i can't connect to the internet.
my connection is really slow in the evenings.
the internet goes out every night around eight.
my tv isn't working.
the cable box says no signal.
i have no dial tone.
my phone won't connect to the network.
i can't make calls.
i can't send text messages.
my email isn't working.
i can't log into my account.
i forgot my password.
i'm locked out of my account.
the app keeps crashing.
the app won't load.
i'm getting an error message.
it says error code four zero four.
what does the error message say?
let's try a few troubleshooting steps.
let's start by restarting the modem.
can you unplug the router for thirty seconds and plug it back in?
go ahead and unplug the power cord from the back of the modem.
wait about thirty seconds and then plug it back in.
okay, it's unplugged.
okay, i plugged it back in.
the lights are coming back on now.
what color are the lights on the front?
the power light is green but the internet light is blinking orange.
the internet light is red.
all the lights are solid green now.
can you check if it's working now?
is it working now?
it's still not working.
yes, it's working now.
it seems to be working now, thank you.
i'm going to run a test on your line.
i'm sending a signal to your modem now.
i'm going to refresh your equipment from here.
i can see some signal issues on your line.
there's an outage in your area.
we're aware of an outage affecting your area.
our technicians are working on it.
the estimated time to restore service is six pm.
service should be restored by tomorrow morning.
i'm going to schedule a technician to come out.
the earliest appointment is thursday between eight and noon.
a technician will be there between one and five.
will someone need to be home?
yes, someone over eighteen needs to be home.
the technician will call you thirty minutes before arriving.
there's no charge for the visit.
is your computer connected by cable or wifi?
are you using the router we provided?
how many devices are connected?
have you tried restarting your computer?
let's try resetting the network settings.
go to settings, then network, then reset.
can you open a web browser?
try going to any website.
can you read me the model number on the back?
the model number is on a sticker on the bottom.
it might be a problem with the equipment.
i'm going to send you a replacement modem.
the new router will arrive in two to three business days.
you'll need to activate the new modem when it arrives.
i'll send you a prepaid label to return the old one.
your firmware has been updated.
i've reset your password.
you'll get a text with a verification code.
can you read me the code?
please enter the six digit code.
you should be able to log in now.
try clearing the cache and cookies.
uninstall the app and reinstall it.
make sure you have the latest version.
is bluetooth turned on?
turn airplane mode on and then off again.
let's try removing the sim card and putting it back in.
i've reprovisioned your line.
we had a system update last night that caused problems.
i'm going to open a ticket for our engineering team.
your ticket number is five eight three two.
we'll follow up within forty eight hours.
i'm sorry for the trouble with your connection.
i work from home so i really need this fixed.
i've been without internet for three days.
i pay for the fastest speed and i'm not getting it.
i'm only getting ten megabits.
your plan includes speeds up to five hundred megabits.
we can upgrade you to fiber.
fiber is available at your address.
the smart hub gives you better coverage.
a mesh system would help with the dead spots upstairs.
i'm calling about my electric bill.
my power bill doubled this month.
we've had a really cold winter, so usage went up.
your usage was higher than last year.
it looks like your meter was estimated this month.
we'll send someone to read the meter.
the meter reading was off.
i'd like to set up budget billing.
budget billing spreads your payments evenly over the year.
i'd like to start service at a new address.
i'm moving next month and need to transfer my service.
when would you like service to start?
when would you like us to stop service at the old address?
i'd like to stop service on the thirtieth.
the power is out on my street.
there's a power outage in my neighborhood.
we have a crew working on the lines.
i smell gas.
if you smell gas, please leave the house and call nine one one.
my water pressure is really low.
there's a water main break in your area.
there's a boil water notice in effect.
i'd like to enroll in paperless billing.
is there an assistance program for people who can't pay?
we have a payment assistance program you may qualify for.
i can set up a payment plan to avoid disconnection.
your service is scheduled for disconnection on friday.
please don't shut off my power, i have a medical device.
we can put a medical hold on your account.
i'd like to report a street light that's out.
`;
