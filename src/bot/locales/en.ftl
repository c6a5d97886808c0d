# English texts of the Telegram bot. Every key here exists in fr.ftl too (a test checks it).
# Messages are sent as HTML: variables holding user text arrive escaped.

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
    /language – change the language
    /help – this help

    Every course you buy stays in your library: you can download it again at any time.

## Commands (Telegram's command menu)

command-start = Main menu
command-search = Search the catalogue
command-browse = Browse the categories
command-language = Change the language
command-help = Help

## Problems, answered politely

error-generic = Sorry, something went wrong on our side. Please try again in a moment.
rate-limited = Whoa, slow down! Please wait { $seconds ->
        [one] one second
       *[other] { $seconds } seconds
    } before sending more.
button-expired = This button comes from an older version of the bot. Send /start to get a fresh menu.
button-unknown = This button no longer works. Send /start to get a fresh menu.
button-unavailable = This is not available right now. Please try again later.
unknown-command = I don't know that command. Send /help to see what I can do.
unsupported-message = I can only read text messages and buttons. Send /help to see what I can do.
