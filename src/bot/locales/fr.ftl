# Textes français du bot Telegram. Chaque clé existe aussi dans en.ftl (un test le vérifie).
# Les messages partent en HTML : les variables contenant du texte utilisateur arrivent échappées.

## Menu principal

menu-text =
    👋 Bonjour { $name } !

    Bienvenue sur <b>TechBot Marketplace</b> : des formations à télécharger, payées en crypto ou en Stars Telegram.

    Que souhaitez-vous faire ?
menu-browse = 🛍 Parcourir
menu-search = 🔎 Rechercher
menu-library = 📚 Mes achats
menu-support = 💬 Assistance
menu-language = 🌐 Langue
menu-help = ❓ Aide

## Boutons

button-menu = 🏠 Menu
button-back = ⬅️ Retour
button-previous = ◀️ Précédent
button-next = Suivant ▶️
button-buy-crypto = 💳 Acheter en crypto
button-buy-stars = ⭐ Acheter en Stars
button-seller-shop = 👤 Autres formations du vendeur

## Catalogue

categories-title = 🛍 <b>Catégories</b>

    Choisissez une catégorie pour voir ses formations.
category-title = { $emoji } <b>{ $name }</b>
shop-title = 👤 Boutique de <b>{ $seller }</b>
shop-empty = 👤 Cette boutique n'a aucune formation en vente pour le moment.
list-empty = Aucune formation ici pour l'instant. Essayez une autre catégorie ou une recherche.
list-page = Page { $page }
list-gone = Cette liste n'existe plus.
sort-top = 🔥 Meilleures ventes
sort-new = 🆕 Nouveautés
sort-rel = 🎯 Pertinence

product-card =
    📘 <b>{ $title }</b>

    { $description }

    💰 Prix : <b>{ $price }</b>
    👤 Vendeur : { $seller }
    ⭐ Note : { $rating }
    📁 Fichier : { $file }
    🛒 Ventes : { $sales }
    🆔 <code>{ $id }</code>
product-rating = { $average }/5 ({ $count } avis)
product-no-rating = pas encore d'avis
product-no-file = pas encore déposé
product-gone = Cette formation n'est plus disponible. Son vendeur l'a peut-être retirée.

size-bytes = { $size } octets
size-kb = { $size } Ko
size-mb = { $size } Mo
size-gb = { $size } Go

## Recherche

search-prompt =
    🔎 <b>Recherche</b>

    Envoyez-moi quelques mots du titre d'une formation, ou sa référence, par exemple <code>TBF-2611-ABCDEF</code>.
search-results = 🔎 Résultats pour « { $query } »
search-empty = Aucune formation ne correspond à ces mots. Essayez-en d'autres, ou parcourez les catégories.
search-too-long = Quel long message ! Envoyez-moi quelques mots ({ $max } caractères au plus) et je chercherai les formations correspondantes.
search-expired = Cette recherche est terminée. Envoyez-moi des mots pour chercher à nouveau.

## Langue

language-choose = 🌐 Choisissez votre langue :
language-changed = Langue réglée sur le français.

## Aide

help-text =
    ❓ <b>Aide</b>

    /start – menu principal
    /browse – parcourir les catégories
    /search <i>mots</i> – rechercher dans le catalogue (ou envoyez-moi simplement des mots)
    /language – changer de langue
    /help – cette aide

    Chaque formation achetée reste dans vos achats : vous pouvez la télécharger à nouveau à tout moment.

## Commandes (menu des commandes de Telegram)

command-start = Menu principal
command-search = Rechercher dans le catalogue
command-browse = Parcourir les catégories
command-language = Changer de langue
command-help = Aide

## Problèmes, avec politesse

error-generic = Désolé, un problème est survenu de notre côté. Merci de réessayer dans un instant.
rate-limited = Doucement ! Merci d'attendre { $seconds ->
        [one] une seconde
       *[other] { $seconds } secondes
    } avant d'envoyer d'autres messages.
button-expired = Ce bouton vient d'une ancienne version du bot. Envoyez /start pour obtenir un nouveau menu.
button-unknown = Ce bouton ne fonctionne plus. Envoyez /start pour obtenir un nouveau menu.
button-unavailable = Ce n'est pas disponible pour le moment. Merci de réessayer plus tard.
unknown-command = Je ne connais pas cette commande. Envoyez /help pour voir ce que je sais faire.
unsupported-message = Je ne lis que les messages texte et les boutons. Envoyez /help pour voir ce que je sais faire.
