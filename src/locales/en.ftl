# English texts of the marketplace (the bot, and the modules' notices). Every key here exists in fr.ftl too (a test checks it).
# Bot messages are sent as HTML: variables holding user text arrive escaped. The last section is plain text.

## Main menu

menu-text =
    👋 Hello { $name }!

    Welcome to <b>TechBot Marketplace</b>: training courses to download, paid in crypto or Telegram Stars.

    What would you like to do?
menu-browse = 🛍 Browse
menu-search = 🔎 Search
menu-library = 📚 My library
menu-support = 💬 Support
menu-language = 🌐 Language
menu-help = ❓ Help

## Buttons

button-menu = 🏠 Menu
button-back = ⬅️ Back
button-previous = ◀️ Previous
button-next = Next ▶️
button-buy-crypto = 💳 Buy with crypto
button-buy-stars = ⭐ Buy with Stars
button-seller-shop = 👤 More from this seller

## Catalogue

categories-title = 🛍 <b>Categories</b>

    Pick a category to see its courses.
category-title = { $emoji } <b>{ $name }</b>
shop-title = 👤 <b>{ $seller }</b>'s shop
shop-empty = 👤 This shop has no courses on sale right now.
list-empty = No courses here yet. Try another category or a search.
list-page = Page { $page }
list-gone = This list no longer exists.
sort-top = 🔥 Bestsellers
sort-new = 🆕 Newest
sort-rel = 🎯 Best match

product-card =
    📘 <b>{ $title }</b>

    { $description }

    💰 Price: <b>{ $price }</b>
    👤 Seller: { $seller }
    ⭐ Rating: { $rating }
    📁 File: { $file }
    🛒 Sales: { $sales }
    🆔 <code>{ $id }</code>
price-in-stars = { $stars } Stars
product-rating = { $average }/5 ({ $count ->
        [one] one review
       *[other] { $count } reviews
    })
product-no-rating = no reviews yet
product-no-file = not uploaded yet
product-gone = This course is no longer available. It may have been removed by its seller.

size-bytes = { $size } bytes
size-kb = { $size } KB
size-mb = { $size } MB
size-gb = { $size } GB

## Search

search-prompt =
    🔎 <b>Search</b>

    Send me a few words from a course title, or a course id like <code>TBF-2611-ABCDEF</code>.
search-results = 🔎 Results for “{ $query }”
search-empty = No course matches these words. Try other ones, or browse the categories.
search-too-long = That is a long message! Send me a few words (at most { $max } characters) and I will look for matching courses.
search-expired = This search is over. Send me some words to search again.

## Language

language-choose = 🌐 Choose your language:
language-changed = Language set to English.

## Help

help-text =
    ❓ <b>Help</b>

    /start – main menu
    /browse – browse the categories
    /search <i>words</i> – search the catalogue (or just send me words)
    /library – your purchases: download them again, review them
    /support – write to us, see your tickets
    /email <i>address</i> – also get your receipts by e-mail
    /sell – sell your own courses
    /language – change the language
    /help – this help

    Every course you buy stays in your library: you can download it again at any time.

## Commands (Telegram's command menu)

command-start = Main menu
command-search = Search the catalogue
command-browse = Browse the categories
command-language = Change the language
command-help = Help

## The bot's profile (shown in an empty chat and on its profile page)

bot-description =
    TechBot Marketplace: training courses (PDF, video, archives) from independent sellers.
    Browse or search the catalogue, pay in crypto or with Telegram Stars, and get the file right here in this chat.
bot-short-description = Training courses to buy in crypto or Telegram Stars, delivered in this chat.

## Problems, answered politely

error-generic = Sorry, something went wrong on our side. Please try again in a moment.
rate-limited = Whoa, slow down! Please wait { $seconds ->
        [one] one second
       *[other] { $seconds } seconds
    } before sending more.
rate-limited-buttons = Slow down! Please wait { $seconds ->
        [one] one second
       *[other] { $seconds } seconds
    } before pressing more buttons.
button-expired = This button comes from an older version of the bot. Send /start to get a fresh menu.
button-unknown = This button no longer works. Send /start to get a fresh menu.
button-unavailable = This is not available right now. Please try again later.
unknown-command = I don't know that command. Send /help to see what I can do.
unsupported-message = I can only read text messages and buttons. Send /help to see what I can do.

# buy — buying with crypto or Telegram Stars (features/buy.ts), and the thank-you after
# delivery (features/delivered.ts).

buy-choose-currency =
    💳 <b>{ $title }</b> — { $price }

    Choose the crypto currency you will pay with:
buy-all-currencies =
    💳 <b>{ $title }</b> — { $price }

    All currencies, page { $page } of { $pages }:
buy-more-currencies = ➕ More currencies
buy-common-currencies = ⭐ Common currencies
buy-paying-with = 💳 Paying for <b>{ $title }</b> with { $currency }: the details are below.
buy-unavailable = Payments are temporarily unavailable. Please try again in a few minutes.
buy-crypto-off = Crypto payments are not available on this marketplace. You can pay with Telegram Stars.
buy-already-owned = You already own this course — see /library.
buy-below-minimum = The price of this course is below the smallest { $currency } payment. Please choose another currency.
buy-currency-refused = { $currency } cannot be used for this payment. Please choose another currency.

pay-title = 🧾 <b>{ $title }</b> — { $price }
pay-instructions =
    Send exactly <code>{ $amount }</code> { $currency }
    to this address (tap to copy):
    <code>{ $address }</code>
pay-memo = ⚠️ Also enter this memo / tag, or the payment cannot be matched: <code>{ $memo }</code>
pay-expires-in = ⏳ Expires in { $time }.
duration-minutes = { $minutes } min
duration-hours = { $hours } h { $minutes } min
pay-status-waiting = Status: waiting for your payment. The course is sent here as soon as it is confirmed.
pay-status-confirming = Status: 🔄 payment seen, waiting for the network to confirm it.
pay-status-partial = Status: ⚠️ partially paid — received { $paid } { $currency }, missing <code>{ $missing }</code> { $currency }. Send the rest to the same address.
pay-status-paid = Status: ✅ paid! Your course is on its way.
pay-status-delivered = Status: ✅ paid and delivered. Find it any time in /library.
pay-status-expired = Status: ⌛ expired. Money already sent still counts; otherwise start a new payment.
pay-status-failed = Status: ❌ the payment failed. Start a new one, or write to /support.
pay-status-cancelled = Status: ✖️ cancelled.
pay-status-refunded = Status: ↩️ refunded.
pay-unchanged = No change yet. Check again in a minute.
pay-cancelled = Payment cancelled.
pay-cannot-cancel = This payment can no longer be cancelled.
pay-unknown = This payment no longer exists. Send /start to begin again.
button-check-status = 🔄 Check status
button-cancel-payment = ✖️ Cancel
button-other-currency = 💱 Pay another way

stars-refused-order = This invoice is no longer valid. Please tap “Buy with Stars” again.
stars-refused-product = This course is no longer on sale.
stars-refused-price = The price has changed. Please tap “Buy with Stars” again for a new invoice.
stars-refused-owned = You already own this course — see /library.
stars-paid = ⭐ Payment received, thank you! Your course is on its way.
stars-double-payment = ⭐ We received this payment, but the order was already paid. Our team will refund the extra Stars.
stars-unmatched = ⭐ We received your payment but could not match it to an order. Our team has been told and will sort it out.

delivered-thanks =
    🎉 Thank you! Enjoy your course <b>{ $title }</b>.

    It stays in your /library: download it again whenever you like. Liked it? A review helps other buyers.
button-leave-review = ⭐ Leave a review

# library — /library: the buyer's purchases, "download again" (features/library.ts).

library-title =
    📚 <b>My library</b>

    Every course you bought stays here: download it again or review it whenever you like.
library-empty =
    📚 <b>My library</b>

    Your library is empty for now. Browse the catalogue to find your first course!
library-not-owned = This course is not in your library.
purchase-card =
    📘 <b>{ $title }</b>
    🆔 <code>{ $id }</code>
    ⭐ Rating: { $rating }
purchase-your-review = Your review: { $rating }
purchase-no-review = You have not reviewed this course yet.
button-download-again = ⬇️ Download again
button-review = ⭐ Review
button-edit-review = ✏️ Edit my review
button-download = ⬇️ Download
download-sending = 📤 Sending your file…
download-no-file = The seller has not uploaded the file of this course yet. Please try again later, or write to /support.
download-link = 📥 I could not send <b>{ $title }</b> here, so here is your personal download link. It is valid for a limited time.
download-failed = Sorry, I could not send your file right now. Please try again in a few minutes, or write to /support.

# reviews — stars, then an optional comment (features/reviews.ts).

review-ask =
    ⭐ <b>{ $title }</b>

    How many stars do you give this course?
review-current = Your current review: { $rating }
review-stars-saved = Thank you! You gave { $rating } to <b>{ $title }</b>.
review-comment-ask = 💬 Would you like to add a comment? Send it as a message, or tap Skip.
review-comment-replace =
    💬 Your current comment: <i>{ $description }</i>

    Send a new one to replace it, or tap Skip to keep it.
button-skip = Skip ⏭
review-saved =
    ✅ Your review of <b>{ $title }</b> is saved: { $rating }

    The course is now rated { $average }/5 ({ $count ->
        [one] one review
       *[other] { $count } reviews
    }).
review-not-owner = Only buyers of this course can review it.
review-comment-too-long = That comment is too long: { $max } characters at most. Send a shorter one, or tap Skip.
review-comment-text-only = Please send your comment as a text message, or tap Skip.

# support — /support: tickets (features/support.ts).

support-title =
    💬 <b>Support</b>

    A question, a problem with a purchase? Tap “New ticket” and describe it in one message: we answer here.
support-no-tickets = You have no tickets yet.
support-tickets = <b>Your tickets</b>
ticket-status-open = 🟢 open
ticket-status-answered = 💬 answered
ticket-status-closed = ✅ closed
ticket-reply = ↪️ Our answer: { $description }
button-ticket-new = ✍️ New ticket
button-cancel = ✖️ Cancel
support-ask =
    ✍️ <b>New ticket</b>

    Describe your problem in one message. If it is about a purchase, tell us which course. Or tap Cancel.
support-opened = ✅ Ticket <b>#{ $id }</b> is open. We will answer you here as soon as we can.
support-cancelled = No ticket opened.
support-too-short = Please describe your problem in a few more words.
support-too-long = That message is too long: { $max } characters at most. Please shorten it, or tap Cancel.
support-too-many = ⚠️ You already have { $count } open tickets. Please wait for an answer before opening another one.
support-text-only = Please type your message as text, or tap Cancel.

command-library = My purchases
command-support = Contact support

# conversations — a typed answer the bot waits for (a review's comment, a ticket's message).

conversation-cancelled = OK, cancelled.
conversation-nothing-to-cancel = There is nothing to cancel.

# Sent by the modules outside any update (orders/deliver.ts, files/telegram-delivery.ts):
# plain text, no HTML.

sale-notice = You sold “{ $title }” — +{ $amount }
file-too-large-link =
    Your file “{ $name }” ({ $size }) is too large to be sent through Telegram. You can download it from this personal link, valid for a limited time:
    { $url }

## admin — the operator's screens (/admin) and what users are told of the operator's actions

admin-refused = Sorry, this is for the marketplace's administrators only.
admin-menu =
    <b>🛠 Administration</b>
    Commands:
    /refund ORDER-ID note — refund an order (Stars for real, crypto marked refunded)
    /takedown COURSE-ID reason — take a course down · /restore COURSE-ID
    /suspend SELLER-ID reason · /unsuspend SELLER-ID
    /ban USER-ID reason · /unban USER-ID
    /reply TICKET-ID text · /broadcast text · /paid PAYOUT-ID TX-HASH · /rejectpayout PAYOUT-ID reason
button-admin-audit = 📜 Audit log
button-admin-menu = 🛠 Admin
admin-audit-title = <b>📜 Last admin actions</b>
admin-audit-empty = No admin action yet.
admin-usage = Usage: { $usage }
admin-error = ⚠️ { $message }
admin-refund-confirm =
    <b>Refund { $order }?</b>
    { $title } · { $price } · { $method } · { $status }
    Note: { $note }
button-admin-refund-confirm = ↩️ Confirm the refund
admin-refund-done = ↩️ Order { $order } refunded. Seller balance now: { $balance }.
admin-refund-expired = This confirmation has expired: send /refund again.
admin-take-down-done = 🚫 “{ $title }” taken down.
admin-restore-done = ✅ “{ $title }” is back in the catalog.
admin-suspend-done = ⛔ Seller { $seller } suspended; { $courses } course(s) left the catalog.
admin-unsuspend-done = ✅ Seller { $seller } restored; { $courses } course(s) back in the catalog.
admin-ban-done = 🔨 User { $user } banned.
admin-unban-done = ✅ User { $user } unbanned.
admin-refund-buyer = ↩️ Your order { $order } (“{ $title }”, { $price }) has been refunded. The course is no longer in your library.
admin-refund-seller = ↩️ Order { $order } (“{ $title }”) was refunded by the marketplace: -{ $amount }. Your balance: { $balance }.
stars-given-back =
    ↩️ { $stars ->
        [one] { $stars } Star has
       *[other] { $stars } Stars have
    } been given back to you: that payment did not buy anything (a course already paid for or refunded, or an order we could not find). This refund does not affect your courses.
admin-take-down-seller = 🚫 Your course “{ $title }” was taken down by the marketplace. Reason: { $reason }. Buyers keep their access.
admin-restore-seller = ✅ Your course “{ $title }” is back in the catalog.
admin-suspended-seller = ⛔ Your seller account is suspended. Reason: { $reason }. Your courses are hidden until it is restored.
admin-unsuspended-seller = ✅ Your seller account is active again.
admin-unbanned = ✅ You can use the bot again.
banned-start = ⛔ Your access to this bot was suspended. Reason: { $reason }
button-admin-stats = 📊 Stats
button-admin-tickets = 💬 Support inbox
admin-stats =
    <b>📊 Stats — { $period }</b>
    Orders created: { $created } · paid: { $paid } · conversion: { $conversion }
    By state: { $states }
    Revenue: { $revenue } · fees: { $fees }
    New users: { $users } · new sellers: { $sellers }
    Open tickets: { $tickets } · dead jobs: { $dead } · flagged payments: { $flagged }
    Top courses: { $courses }
    Top sellers: { $topsellers }
admin-stats-chart-title = Sales, last 30 days
admin-stats-chart-count = Sales
admin-stats-chart-amount = Revenue
button-admin-chart = 📈 30-day chart
admin-tickets-title = <b>💬 Open tickets ({ $count }), oldest first</b>
admin-tickets-empty = No open ticket. 🎉
admin-ticket =
    <b>Ticket #{ $id }</b> · user { $user } · { $date }
    { $message }
    Orders: { $orders }
admin-ticket-usage = Reply with /reply { $id } your answer
button-admin-ticket-close = ✅ Close #{ $id }
admin-ticket-replied = ✉️ Reply sent on ticket #{ $id }.
admin-ticket-closed = ✅ Ticket #{ $id } closed.
admin-ticket-reply = 💬 Support answered your ticket #{ $id }:
    { $reply }
    Write /support again if you need more help.
admin-broadcast-usage = Send /broadcast followed by the message (HTML formatting allowed), or a photo with that caption.
admin-broadcast-preview-failed = ⚠️ Telegram refused the preview: { $message }
admin-broadcast-audience = 📣 Broadcast #{ $id } — audience: { $audience }, { $count } recipient(s). The preview is above.
admin-audience-all = everyone
admin-audience-buyers = buyers
admin-audience-sellers = sellers
admin-audience-en = English speakers
admin-audience-fr = French speakers
button-admin-broadcast-send = ✅ Send to { $count }
button-admin-broadcast-cancel = ✖️ Cancel
admin-broadcast-progress = 📣 Broadcast #{ $id }: { $done } / { $total } — sent { $sent }, blocked { $blocked }, failed { $failed }
admin-broadcast-report = 📣 Broadcast #{ $id } { $state }: sent { $sent }, blocked { $blocked }, failed { $failed }, not sent { $left } (of { $total }).
admin-broadcast-state-done = finished
admin-broadcast-state-cancelled = cancelled
## sellers — /sell onboarding, the seller's home, payouts (bot/features/sell.ts, payout.ts). HTML.

menu-sell = 💼 Sell
command-sell = Become a seller
sell-intro =
    💼 <b>Become a seller</b>

    Four short questions and you can put your courses on sale. Type /cancel at any time: nothing is kept until the end.
sell-ask-name = 1/4 · What name should buyers see? ({ $min } to { $max } characters)
sell-ask-bio = 2/4 · Describe yourself in a few lines ({ $max } characters at most), or tap Skip.
sell-ask-email = 3/4 · Your e-mail address, for messages about your sales and payouts (optional), or tap Skip.
sell-email-unverified = Noted. This address is not verified yet: check it is right.
sell-ask-network = 4/4 · Where should we pay you? Choose the network of your payout address.
sell-ask-address = Now paste your <b>{ $network }</b> address.
sell-skip = ⏭ Skip
sell-text-only = Please answer with text, or type /cancel.
sell-name-too-short = That name is too short: { $min } characters at least. Please try again.
sell-name-too-long = That name is too long: { $max } characters at most. Please try again.
sell-bio-too-long = That is too long: { $max } characters at most. Please shorten it.
sell-email-invalid = That does not look like an e-mail address (like name@example.com). Please try again, or tap Skip.
sell-network-unknown = Please choose one of the networks on the buttons.
sell-address-format = That is not an address on { $network }. Please check it and paste it again.
sell-address-checksum = That { $network } address has a typo in it (its checksum does not match). Please copy it again from your wallet.
sell-address-network = That address belongs to another network, not { $network }. Please paste a { $network } address.
sell-already = You are already a seller.
sell-welcome = 🎉 Welcome, <b>{ $name }</b>! You are now a seller.
seller-home =
    💼 <b>{ $name }</b> — seller

    Payout address: <b>{ $network }</b> <code>{ $address }</code>
    Available balance: <b>{ $available }</b>
seller-home-commands = /payout — your balance and payouts
not-a-seller = You are not a seller yet. Type /sell to become one.
command-payout = Get paid (sellers)
payout-title =
    💸 <b>Payout</b>

    Available: <b>{ $available }</b> (pending: { $pending })
    Paid to: <b>{ $network }</b> <code>{ $address }</code>
    Smallest payout: { $min }
payout-below-min = Your available balance is below the smallest payout.
payout-history = <b>Your payouts</b>
payout-status-pending = ⏳ pending
payout-status-paid = ✅ paid
payout-status-rejected = ↩️ rejected
button-payout-request = 💸 Request { $amount }
payout-requested = ✅ Payout #{ $id } of { $amount } requested. The amount is reserved; you will be told when it is sent.
payout-admin-alert = 💸 Payout #{ $id } requested by { $seller }: { $amount } to { $network } { $address }
command-newcourse = Add a course (sellers)
course-intro =
    📚 <b>New course</b>

    A few questions, then your file. Type /cancel at any time: nothing is published before you say so.
course-ask-title = The course title ({ $min } to { $max } characters)?
course-ask-description = Its description ({ $max } characters at most)?
course-ask-category = Its category?
course-ask-price = Its price in { $currency } (from 1.00 to 5,000.00; a comma or a dot, like 19.90)?
course-ask-stars = Its price in Telegram Stars (a whole number), or tap Skip to derive it from the price.
course-ask-file = Now send the course file as a <b>document</b> (PDF, EPUB, ZIP, MP4, MP3...), up to { $size } here.
course-title-invalid = The title must be { $min } to { $max } characters. Please try again.
course-description-invalid = The description must not be empty and must be { $max } characters at most.
course-category-unknown = Please choose one of the categories on the buttons.
course-price-invalid = That is not a price from 1.00 to 5,000.00 (like 19.90 or 19,90). Please try again.
course-stars-invalid = Please type a whole number of Stars (like 500), or tap Skip.
course-file-document-only = Please send the course as a file (a document), not a photo or a text.
course-file-type = This file type is not accepted (or its content does not match its name). Send a PDF, EPUB, ZIP, MP4, MP3...
course-file-too-large = That file is too large: { $size } at most.
course-preview =
    👀 <b>Preview</b>

    <b>{ $title }</b>
    { $description }

    Category: { $category }
    Price: { $price } · ⭐ { $stars }
    File: { $file } ({ $size })
course-publish = ✅ Publish
course-discard = ✖️ Discard
course-discarded = Course discarded: nothing was published.
course-published =
    🎉 <b>{ $title }</b> is on sale ({ $id }).
    Share it: { $url }
course-refused-suspended = ⛔ Your seller account is suspended: you cannot publish courses.
command-dashboard = Sales dashboard (sellers)
dashboard-title = 📊 <b>Your dashboard</b>
dashboard-today = Today: { $sales } sales · { $revenue } (fees { $fee }, yours { $net })
dashboard-7-days = 7 days: { $sales } sales · { $revenue } (fees { $fee }, yours { $net })
dashboard-30-days = 30 days: { $sales } sales · { $revenue } (fees { $fee }, yours { $net })
dashboard-all-time = All time: { $sales } sales · { $revenue } (fees { $fee }, yours { $net })
dashboard-balance = Balance: <b>{ $available }</b> available · { $pending } pending · { $paid } paid out
dashboard-rating = Average rating: ⭐ { $average } ({ $count } reviews)
dashboard-top = <b>Top courses</b>
dashboard-chart-title = Last 30 days
dashboard-chart-sales = Sales
dashboard-chart-revenue = Revenue ({ $currency })
dashboard-chart-caption = 📈 Sales and revenue, last 30 days
button-sales-csv = 📄 Export sales (CSV)
button-admin-payouts = 💸 Payouts
admin-payouts-title = <b>💸 Pending payouts ({ $count }), oldest first</b>
admin-payouts-empty = No pending payout.
admin-payout =
    <b>#{ $id }</b> · { $seller } · { $amount } · { $network }
    <code>{ $address }</code>
    /paid { $id } TX-HASH · /rejectpayout { $id } reason
admin-payout-paid = 💸 Payout #{ $id } marked paid.
admin-payout-rejected = ↩️ Payout #{ $id } rejected; the amount is available to the seller again.
admin-payout-paid-seller = 💸 Your payout of { $amount } was sent on { $network }. Transaction: <code>{ $tx }</code>
admin-payout-rejected-seller = ↩️ Your payout request of { $amount } was rejected: { $reason }. The amount is available again.
course-file-use-link =
    This file is bigger than the { $size } a bot can fetch from Telegram. Upload it on this one-time page (valid for an hour):
    { $url }
    I will tell you here when it has arrived.
course-upload-waiting = Your file has not arrived yet. Upload it through the link above, or send a smaller file here.
course-upload-arrived = 📥 Your file “{ $file }” ({ $size }) has arrived. Tap Continue to finish your course.
course-upload-continue = ▶️ Continue
command-apikey = API keys (sellers)
apikey-title = 🔑 <b>Your API keys</b> (for the seller HTTP API)
apikey-none = You have no API key yet.
apikey-line = <code>{ $id }</code> · created { $created } · last used { $used }
button-apikey-new = ➕ New key
button-apikey-revoke = 🗑 Revoke { $id }
apikey-created =
    🔑 Your new key (id <code>{ $id }</code>), shown <b>this once</b>: copy it now.
    <code>{ $key }</code>
apikey-revoked = Key { $id } revoked.
button-dashboard = 📊 Dashboard

## notify — e-mails (modules/notify/render.ts). Plain text; the HTML part is made from it.

email-footer = TechBot Marketplace. You receive this e-mail because of an order or a request made with this address.
email-receipt-subject = Your course “{ $title }” — order { $order }
email-receipt-body =
    Thank you for your purchase.

    Course: { $title }
    Price paid: { $amount }
    Order: { $order }

    Download your course (this link is valid { $hours } hours):
    { $download }

    Link expired? Get a new one at any time:
    { $renew }
email-sale-subject = You sold “{ $title }”
email-sale-body =
    Good news: “{ $title }” was just bought.

    Order: { $order }
    Your share: { $amount }
email-support-reply-subject = Answer to your ticket #{ $ticket }
email-support-reply-body =
    We answered your ticket #{ $ticket }:

    { $reply }
email-alert-subject = [TechBot alert] { $title }
email-alert-body =
    { $title }

    { $detail }

## e-mail verification — the code typed in the bot to prove an address (bot/features/email-code.ts)
email-code-sent = 📧 We sent a 6-digit code to { $to }. Type it here; it is valid { $minutes } minutes.
email-code-resend = 🔁 Send a new code
email-code-skip = ⏭ Skip verification
email-code-cancel = ✖️ Cancel
email-code-wrong = That code is wrong. { $tries ->
    [one] One try left.
   *[other] { $tries } tries left.
}
email-code-expired = That code has expired. Tap “🔁 Send a new code” for another one.
email-code-exhausted = Too many wrong codes. Tap “🔁 Send a new code” for another one.
email-code-too-many = Too many codes were sent in the last hour. Please try again later.
sell-email-verified = ✅ Your e-mail is verified.
sell-email-kept-unverified = Your e-mail is kept, but it is not verified.
email-verify-code-subject = Your TechBot code: { $code }
email-verify-code-body =
    Your code to verify this e-mail address is: { $code }

    Type it in the bot (or send it to the API). It is valid for { $minutes } minutes.
    If you did not ask for it, ignore this e-mail.
email-change-code-subject = Confirm the change to your seller account: { $code }
email-change-code-body =
    A change to your TechBot seller account is waiting for this code: { $code }
    { $what ->
        [address] New payout address: { $network } { $address }
        [email] New e-mail: { $email }
       *[both] New payout address: { $network } { $address }; new e-mail: { $email }
    }

    Type the code in the bot (or send it to the API) only if this is the change you asked for. It is valid for { $minutes } minutes.
    If you did not ask for this change, do not share the code: nothing changes without it.
button-payout-change-address = ✏️ Change the payout address
payout-address-ask-network = Choose the network of your new payout address.
payout-address-confirm = Your e-mail is verified: to protect your payouts, this change needs the code we e-mail you.
payout-address-changed = ✅ New payout address: { $network } { $address }
payout-address-unchanged = Your payout address is unchanged.
seller-suspended-notice =
    ⛔ Your seller account is suspended.
    Reason: { $reason }

    Your courses are hidden, and you cannot publish or request payouts. Write to /support if you think it is a mistake.
email-code-not-sent = We could not send the e-mail just now. Please try again later.
## courses — /mycourses, the cover photo and "Edit" of /newcourse (bot/features/my-courses.ts, edit-course.ts, new-course.ts). HTML.
command-mycourses = Your courses (sellers)
course-ask-cover = A cover photo for the course card? Send a photo, or tap Skip.
course-ask-cover-edit = Send the new cover photo, or tap “No cover” to remove it.
course-cover-remove = 🚫 No cover
course-cover-invalid = Please send a photo (not a file), or use the button.
course-edit = ✏️ Edit
course-edit-which = Which part do you want to change?
course-field-title = Title
course-field-description = Description
course-field-category = Category
course-field-price = Price
course-field-stars = Stars price
course-field-cover = Cover photo
course-field-file = File
mycourses-button = 📚 My courses
mycourses-dashboard-button = 📊 Dashboard
mycourses-title = 📚 <b>Your courses</b> ({ $count })
mycourses-empty = You have no course yet. Type /newcourse to add one.
mycourses-page = Page { $page } of { $pages }
mycourses-back = ⬅️ My courses
mycourse-card =
    { $mark } <b>{ $title }</b> ({ $id })
    { $state }

    Price: { $price } · ⭐ { $stars }
    File: { $file }

    Sales: <b>{ $sales }</b> · revenue { $revenue } · your share <b>{ $share }</b>
mycourse-state-on = On sale: in the catalogue and in search.
mycourse-state-off = Off sale: hidden from the catalogue; buyers keep their copy.
mycourse-state-banned = Taken down by the operator.
mycourse-edit = ✏️ Edit
mycourse-share = 🔗 Share
mycourse-off = ⏸ Take off sale
mycourse-on = ▶️ Put back on sale
mycourse-delete = 🗑 Delete
mycourse-delete-ask = Delete “{ $title }”? It leaves the catalogue and your list for good. Buyers keep their access and can still download it.
mycourse-delete-confirm = 🗑 Yes, delete
mycourse-deleted = Course deleted.
mycourse-now-on = Back on sale.
mycourse-now-off = Taken off sale.
mycourse-gone = This course no longer exists.
mycourse-edit-which = What do you want to change in “{ $title }”?
mycourse-saved = ✅ Saved.
mycourse-share-text =
    🔗 <b>{ $title }</b>

    The course: { $course }
    Your shop: { $shop }
mycourse-locked = ⛔ This course was taken down by the operator: it cannot be changed.
## operator — dead jobs, orders, partial payments, flagged payment events, payout export (the operator's /admin)

button-admin-jobs = ⚰️ Dead jobs
admin-jobs-empty = No dead job. 🎉
admin-jobs-title = <b>⚰️ Dead jobs: { $count }</b> (the { $shown } newest below)
admin-job =
    <b>Job #{ $id }</b> · { $kind } · { $for }
    { $attempts } attempt(s) · dead since { $date }
    <i>{ $error }</i>
button-admin-job-retry = 🔁 Retry #{ $id }
button-admin-job-discard = 🗑 Discard #{ $id }
admin-job-retried = 🔁 Job #{ $id } is back in the queue.
admin-job-discarded = 🗑 Job #{ $id } discarded.
admin-menu-ops = /order ORDER-ID · /orders COURSE-ID | TELEGRAM-ID | @username | e-mail · /refusepartial ORDER-ID reason
button-admin-orders = 📦 Orders
admin-orders-screen =
    <b>📦 Orders</b>
    Find one with /order ORDER-ID, or a buyer's or a course's with /orders followed by a Telegram id, an @username, an e-mail or a course id.
button-admin-undelivered = 📭 Paid, not delivered ({ $count })
button-admin-partials = 🌓 Partially paid ({ $count })
button-admin-flagged = 🚩 Flagged payments ({ $count })
admin-undelivered-empty = Every paid order was delivered. 🎉
admin-partials-empty = No partially paid order waits for a decision.
admin-flagged-empty = No flagged payment event left to look at.
admin-why-no_file = Why: the course has no file yet.
admin-why-blocked_bot = Why: the buyer blocked the bot.
admin-why-dead_job = Why: the delivery gave up
admin-why-in_progress = Why: a delivery is under way (queued).
admin-why-no_job = Why: nothing is trying any more; deliver it again.
button-admin-redeliver = 🔁 Deliver again
button-admin-accept-partial = ✅ Accept the partial payment
admin-order =
    <b>Order { $order }</b> · { $status } · { $method }
    { $title } · { $price }
    Buyer: { $buyer }
    Created { $created } · paid { $paid } · delivered { $delivered }
admin-order-why = { $why }
admin-order-received = Received { $paid } of { $asked } { $currency } (missing { $missing }).
admin-partial-usage = To refuse it: /refusepartial { $order } reason
admin-orders-found = <b>{ $count } order(s) for { $query }</b>, newest first:
admin-orders-none = No order found for { $query }.
admin-partial-refused = ✖️ The partial payment of { $order } was refused; the buyer was told.
admin-partial-accepted = ✅ { $order } accepted as paid; the course is on its way.
admin-redelivering = 🔁 Delivery of { $order } running again (job #{ $job }).
admin-partial-refused-buyer = ✖️ Your payment for order { $order } (“{ $title }”, { $price }) did not cover the price and was refused: { $reason }. Write to /support about what you sent.
admin-flagged =
    <b>🚩 #{ $id } { $flag }</b> · payment { $payment } · order { $order }
    { $status } · { $date }
    { $reason }
button-admin-handled = ✅ Mark #{ $id } handled
admin-flagged-handled = ✅ Payment event #{ $id } marked handled.
button-admin-stars-back = ↩️ Give back { $stars } ⭐ (#{ $id })
admin-stars-given-back = ↩️ { $stars } ⭐ of payment event #{ $id } given back to the payer; the event is handled.
admin-stats-payouts = Pending payouts: { $count } · { $amount }
button-admin-payouts-csv = 📄 Payouts CSV, last 30 days
admin-payouts-csv = 📄 { $count } payout(s) requested from { $from } to { $to }. Another period: /payoutscsv FROM TO (YYYY-MM-DD)

## buyer e-mail (/email)
command-email = E-mail copies of receipts
email-disabled = This shop sends no e-mail: your purchases and answers arrive here, in the chat.
email-none = No e-mail address is kept for you. Type /email followed by your address (like /email you@example.com) to also get each receipt, with its download link, and the answers to your support requests by e-mail.
email-current = Copies of your receipts and of the answers to your support requests go to <b>{ $email }</b>. Type /email with another address to change it, or /email off to stop.
email-saved = ✅ Saved: your next receipts and answers will also be e-mailed to <b>{ $email }</b>. /email off stops it.
email-removed = ✅ Removed: no more e-mail copies.
email-invalid = That is not an e-mail address. Type it after the command, like /email you@example.com.

## e-mail: a partial payment refused (e-mail buyers)
email-partial-refused-subject = Your order { $order }: partial payment refused
email-partial-refused-body =
    Your payment for “{ $title }” ({ $price }) arrived short, and the shop refused it: { $reason }

    Order { $order } is cancelled and nothing was delivered. If coins are to be sent back, the shop contacts you about it; if you pay the rest, the order is paid again.
