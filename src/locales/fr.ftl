# Textes français de la place de marché (le bot, et les avis envoyés par les modules). Chaque clé existe aussi dans en.ftl (un test le vérifie).
# Les messages du bot partent en HTML : les variables contenant du texte utilisateur arrivent échappées. La dernière section est en texte brut.

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
price-in-stars = { $stars } Stars
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
    /library – vos achats : les télécharger à nouveau, donner votre avis
    /support – nous écrire, voir vos demandes
    /email <i>adresse</i> – recevoir aussi vos reçus par e-mail
    /sell – vendre vos propres formations
    /language – changer de langue
    /help – cette aide

    Chaque formation achetée reste dans vos achats : vous pouvez la télécharger à nouveau à tout moment.

## Commandes (menu des commandes de Telegram)

command-start = Menu principal
command-search = Rechercher dans le catalogue
command-browse = Parcourir les catégories
command-language = Changer de langue
command-help = Aide

## Profil du bot (affiché dans une conversation vide et sur sa page de profil)

bot-description =
    TechBot Marketplace : des formations (PDF, vidéo, archives) de vendeurs indépendants.
    Parcourez ou cherchez dans le catalogue, payez en crypto ou en Telegram Stars, et recevez le fichier ici même, dans cette conversation.
bot-short-description = Des formations à acheter en crypto ou en Telegram Stars, livrées dans cette conversation.

## Problèmes, avec politesse

error-generic = Désolé, un problème est survenu de notre côté. Merci de réessayer dans un instant.
rate-limited = Doucement ! Merci d'attendre { $seconds ->
        [one] une seconde
       *[other] { $seconds } secondes
    } avant d'envoyer d'autres messages.
rate-limited-buttons = Doucement ! Merci d'attendre { $seconds ->
        [one] une seconde
       *[other] { $seconds } secondes
    } avant d'appuyer sur d'autres boutons.
button-expired = Ce bouton vient d'une ancienne version du bot. Envoyez /start pour obtenir un nouveau menu.
button-unknown = Ce bouton ne fonctionne plus. Envoyez /start pour obtenir un nouveau menu.
button-unavailable = Ce n'est pas disponible pour le moment. Merci de réessayer plus tard.
unknown-command = Je ne connais pas cette commande. Envoyez /help pour voir ce que je sais faire.
unsupported-message = Je ne lis que les messages texte et les boutons. Envoyez /help pour voir ce que je sais faire.

# buy — achat en crypto ou en Stars Telegram (features/buy.ts), et le remerciement après la
# livraison (features/delivered.ts).

buy-choose-currency =
    💳 <b>{ $title }</b> — { $price }

    Choisissez la cryptomonnaie avec laquelle vous allez payer :
buy-all-currencies =
    💳 <b>{ $title }</b> — { $price }

    Toutes les monnaies, page { $page } sur { $pages } :
buy-more-currencies = ➕ Autres monnaies
buy-common-currencies = ⭐ Monnaies courantes
buy-paying-with = 💳 Paiement de <b>{ $title }</b> en { $currency } : les détails sont ci-dessous.
buy-unavailable = Les paiements sont momentanément indisponibles. Merci de réessayer dans quelques minutes.
buy-crypto-off = Les paiements en crypto ne sont pas proposés sur cette boutique. Vous pouvez payer en Stars Telegram.
buy-already-owned = Vous possédez déjà cette formation — voir /library.
buy-below-minimum = Le prix de cette formation est inférieur au paiement minimum en { $currency }. Merci de choisir une autre monnaie.
buy-currency-refused = { $currency } ne peut pas servir pour ce paiement. Merci de choisir une autre monnaie.

pay-title = 🧾 <b>{ $title }</b> — { $price }
pay-instructions =
    Envoyez exactement <code>{ $amount }</code> { $currency }
    à cette adresse (touchez pour copier) :
    <code>{ $address }</code>
pay-memo = ⚠️ Indiquez aussi ce mémo / tag, sinon le paiement ne pourra pas être reconnu : <code>{ $memo }</code>
pay-expires-in = ⏳ Expire dans { $time }.
duration-minutes = { $minutes } min
duration-hours = { $hours } h { $minutes } min
pay-status-waiting = État : en attente de votre paiement. La formation vous est envoyée ici dès qu'il est confirmé.
pay-status-confirming = État : 🔄 paiement reçu, en attente de confirmation par le réseau.
pay-status-partial = État : ⚠️ paiement partiel — reçu { $paid } { $currency }, il manque <code>{ $missing }</code> { $currency }. Envoyez le reste à la même adresse.
pay-status-paid = État : ✅ payé ! Votre formation arrive.
pay-status-delivered = État : ✅ payé et livré. Retrouvez-la à tout moment dans /library.
pay-status-expired = État : ⌛ expiré. L'argent déjà envoyé compte toujours ; sinon, lancez un nouveau paiement.
pay-status-failed = État : ❌ le paiement a échoué. Lancez-en un nouveau, ou écrivez à /support.
pay-status-cancelled = État : ✖️ annulé.
pay-status-refunded = État : ↩️ remboursé.
pay-unchanged = Rien de nouveau pour l'instant. Vérifiez à nouveau dans une minute.
pay-cancelled = Paiement annulé.
pay-cannot-cancel = Ce paiement ne peut plus être annulé.
pay-unknown = Ce paiement n'existe plus. Envoyez /start pour recommencer.
button-check-status = 🔄 Vérifier l'état
button-cancel-payment = ✖️ Annuler
button-other-currency = 💱 Payer autrement

stars-refused-order = Cette facture n'est plus valable. Touchez à nouveau « Acheter en Stars ».
stars-refused-product = Cette formation n'est plus en vente.
stars-refused-price = Le prix a changé. Touchez à nouveau « Acheter en Stars » pour une nouvelle facture.
stars-refused-owned = Vous possédez déjà cette formation — voir /library.
stars-paid = ⭐ Paiement reçu, merci ! Votre formation arrive.
stars-double-payment = ⭐ Nous avons reçu ce paiement, mais la commande était déjà payée. Notre équipe vous remboursera les Stars en trop.
stars-unmatched = ⭐ Nous avons reçu votre paiement sans pouvoir le rattacher à une commande. Notre équipe est prévenue et va s'en occuper.

delivered-thanks =
    🎉 Merci ! Bonne formation avec <b>{ $title }</b>.

    Elle reste dans vos achats (/library) : téléchargez-la à nouveau quand vous voulez. Elle vous a plu ? Un avis aide les autres acheteurs.
button-leave-review = ⭐ Laisser un avis

# library — /library : les achats, « télécharger à nouveau » (features/library.ts).

library-title =
    📚 <b>Mes achats</b>

    Chaque formation achetée reste ici : téléchargez-la à nouveau ou donnez votre avis quand vous le souhaitez.
library-empty =
    📚 <b>Mes achats</b>

    Vous n'avez encore rien acheté. Parcourez le catalogue pour trouver votre première formation !
library-not-owned = Cette formation ne fait pas partie de vos achats.
purchase-card =
    📘 <b>{ $title }</b>
    🆔 <code>{ $id }</code>
    ⭐ Note : { $rating }
purchase-your-review = Votre avis : { $rating }
purchase-no-review = Vous n'avez pas encore donné votre avis sur cette formation.
button-download-again = ⬇️ Télécharger à nouveau
button-review = ⭐ Donner mon avis
button-edit-review = ✏️ Modifier mon avis
button-download = ⬇️ Télécharger
download-sending = 📤 Envoi de votre fichier…
download-no-file = Le vendeur n'a pas encore déposé le fichier de cette formation. Merci de réessayer plus tard, ou écrivez à /support.
download-link = 📥 Je n'ai pas pu vous envoyer <b>{ $title }</b> ici : voici votre lien de téléchargement personnel, valable pour une durée limitée.
download-failed = Désolé, je n'ai pas pu envoyer votre fichier pour le moment. Merci de réessayer dans quelques minutes, ou écrivez à /support.

# reviews — les étoiles, puis un commentaire facultatif (features/reviews.ts).

review-ask =
    ⭐ <b>{ $title }</b>

    Combien d'étoiles donnez-vous à cette formation ?
review-current = Votre avis actuel : { $rating }
review-stars-saved = Merci ! Vous avez donné { $rating } à <b>{ $title }</b>.
review-comment-ask = 💬 Voulez-vous ajouter un commentaire ? Envoyez-le en message, ou touchez « Passer ».
review-comment-replace =
    💬 Votre commentaire actuel : <i>{ $description }</i>

    Envoyez-en un nouveau pour le remplacer, ou touchez « Passer » pour le garder.
button-skip = Passer ⏭
review-saved =
    ✅ Votre avis sur <b>{ $title }</b> est enregistré : { $rating }

    La formation est désormais notée { $average }/5 ({ $count } avis).
review-not-owner = Seuls les acheteurs de cette formation peuvent donner leur avis.
review-comment-too-long = Ce commentaire est trop long : { $max } caractères au maximum. Envoyez-en un plus court, ou touchez « Passer ».
review-comment-text-only = Merci d'envoyer votre commentaire sous forme de texte, ou touchez « Passer ».

# support — /support : les demandes d'assistance (features/support.ts).

support-title =
    💬 <b>Assistance</b>

    Une question, un souci avec un achat ? Touchez « Nouvelle demande » et décrivez-le en un message : nous vous répondrons ici.
support-no-tickets = Vous n'avez encore aucune demande.
support-tickets = <b>Vos demandes</b>
ticket-status-open = 🟢 ouverte
ticket-status-answered = 💬 répondue
ticket-status-closed = ✅ fermée
ticket-reply = ↪️ Notre réponse : { $description }
button-ticket-new = ✍️ Nouvelle demande
button-cancel = ✖️ Annuler
support-ask =
    ✍️ <b>Nouvelle demande</b>

    Décrivez votre problème en un message. S'il concerne un achat, précisez de quelle formation il s'agit. Ou touchez « Annuler ».
support-opened = ✅ La demande <b>n° { $id }</b> est ouverte. Nous vous répondrons ici dès que possible.
support-cancelled = Aucune demande ouverte.
support-too-short = Merci de décrire votre problème en quelques mots de plus.
support-too-long = Ce message est trop long : { $max } caractères au maximum. Merci de le raccourcir, ou touchez « Annuler ».
support-too-many = ⚠️ Vous avez déjà { $count } demandes ouvertes. Merci d'attendre une réponse avant d'en ouvrir une autre.
support-text-only = Merci d'écrire votre message sous forme de texte, ou touchez « Annuler ».

command-library = Mes achats
command-support = Contacter l'assistance

# conversations — une réponse tapée que le bot attend (le commentaire d'un avis, le message d'un ticket).

conversation-cancelled = D'accord, c'est annulé.
conversation-nothing-to-cancel = Il n'y a rien à annuler.

# Envoyés par les modules hors de toute mise à jour (orders/deliver.ts, files/telegram-delivery.ts) :
# texte brut, pas de HTML.

sale-notice = Vous avez vendu « { $title } » — +{ $amount }
file-too-large-link =
    Votre fichier « { $name } » ({ $size }) est trop volumineux pour être envoyé par Telegram. Vous pouvez le télécharger grâce à ce lien personnel, valable pour une durée limitée :
    { $url }

## admin — the operator's screens (/admin) and what users are told of the operator's actions

admin-refused = Désolé, ceci est réservé aux administrateurs de la boutique.
admin-menu =
    <b>🛠 Administration</b>
    Commandes :
    /refund ID-COMMANDE note — rembourser une commande (Stars pour de vrai, crypto marquée remboursée)
    /takedown ID-COURS motif — retirer un cours · /restore ID-COURS
    /suspend ID-VENDEUR motif · /unsuspend ID-VENDEUR
    /ban ID-UTILISATEUR motif · /unban ID-UTILISATEUR
    /reply ID-TICKET texte · /broadcast texte · /paid ID-VIREMENT HASH-TX · /rejectpayout ID-VIREMENT motif
button-admin-audit = 📜 Journal
button-admin-menu = 🛠 Admin
admin-audit-title = <b>📜 Dernières actions d’administration</b>
admin-audit-empty = Aucune action d’administration pour l’instant.
admin-usage = Utilisation : { $usage }
admin-error = ⚠️ { $message }
admin-refund-confirm =
    <b>Rembourser { $order } ?</b>
    { $title } · { $price } · { $method } · { $status }
    Note : { $note }
button-admin-refund-confirm = ↩️ Confirmer le remboursement
admin-refund-done = ↩️ Commande { $order } remboursée. Solde du vendeur : { $balance }.
admin-refund-expired = Cette confirmation a expiré : renvoyez /refund.
admin-take-down-done = 🚫 « { $title } » retiré.
admin-restore-done = ✅ « { $title } » est de retour au catalogue.
admin-suspend-done = ⛔ Vendeur { $seller } suspendu ; { $courses } cours retiré(s) du catalogue.
admin-unsuspend-done = ✅ Vendeur { $seller } rétabli ; { $courses } cours de retour au catalogue.
admin-ban-done = 🔨 Utilisateur { $user } banni.
admin-unban-done = ✅ Utilisateur { $user } débanni.
admin-refund-buyer = ↩️ Votre commande { $order } (« { $title } », { $price }) a été remboursée. Le cours ne figure plus dans votre bibliothèque.
admin-refund-seller = ↩️ La commande { $order } (« { $title } ») a été remboursée par la boutique : -{ $amount }. Votre solde : { $balance }.
stars-given-back =
    ↩️ { $stars ->
        [one] { $stars } Star vous a été rendue
       *[other] { $stars } Stars vous ont été rendues
    } : ce paiement ne correspondait à aucun achat (formation déjà payée ou remboursée, ou commande introuvable). Ce remboursement ne touche pas à vos formations.
admin-take-down-seller = 🚫 Votre cours « { $title } » a été retiré par la boutique. Motif : { $reason }. Les acheteurs gardent leur accès.
admin-restore-seller = ✅ Votre cours « { $title } » est de retour au catalogue.
admin-suspended-seller = ⛔ Votre compte vendeur est suspendu. Motif : { $reason }. Vos cours sont masqués jusqu’à son rétablissement.
admin-unsuspended-seller = ✅ Votre compte vendeur est de nouveau actif.
admin-unbanned = ✅ Vous pouvez de nouveau utiliser le bot.
banned-start = ⛔ Votre accès à ce bot a été suspendu. Motif : { $reason }
button-admin-stats = 📊 Statistiques
button-admin-tickets = 💬 Assistance
admin-stats =
    <b>📊 Statistiques — { $period }</b>
    Commandes créées : { $created } · payées : { $paid } · conversion : { $conversion }
    Par état : { $states }
    Chiffre d’affaires : { $revenue } · commissions : { $fees }
    Nouveaux utilisateurs : { $users } · nouveaux vendeurs : { $sellers }
    Tickets ouverts : { $tickets } · tâches mortes : { $dead } · paiements signalés : { $flagged }
    Meilleurs cours : { $courses }
    Meilleurs vendeurs : { $topsellers }
admin-stats-chart-title = Ventes des 30 derniers jours
admin-stats-chart-count = Ventes
admin-stats-chart-amount = Chiffre d’affaires
button-admin-chart = 📈 Graphique 30 jours
admin-tickets-title = <b>💬 Tickets ouverts ({ $count }), les plus anciens d’abord</b>
admin-tickets-empty = Aucun ticket ouvert. 🎉
admin-ticket =
    <b>Ticket n° { $id }</b> · utilisateur { $user } · { $date }
    { $message }
    Commandes : { $orders }
admin-ticket-usage = Répondez avec /reply { $id } votre réponse
button-admin-ticket-close = ✅ Fermer n° { $id }
admin-ticket-replied = ✉️ Réponse envoyée sur le ticket n° { $id }.
admin-ticket-closed = ✅ Ticket n° { $id } fermé.
admin-ticket-reply = 💬 L’assistance a répondu à votre ticket n° { $id } :
    { $reply }
    Écrivez de nouveau /support si besoin.
admin-broadcast-usage = Envoyez /broadcast suivi du message (mise en forme HTML permise), ou une photo avec cette légende.
admin-broadcast-preview-failed = ⚠️ Telegram a refusé l’aperçu : { $message }
admin-broadcast-audience = 📣 Diffusion n° { $id } — public : { $audience }, { $count } destinataire(s). L’aperçu est ci-dessus.
admin-audience-all = tout le monde
admin-audience-buyers = acheteurs
admin-audience-sellers = vendeurs
admin-audience-en = anglophones
admin-audience-fr = francophones
button-admin-broadcast-send = ✅ Envoyer à { $count }
button-admin-broadcast-cancel = ✖️ Annuler
admin-broadcast-progress = 📣 Diffusion n° { $id } : { $done } / { $total } — envoyés { $sent }, bloqués { $blocked }, échecs { $failed }
admin-broadcast-report = 📣 Diffusion n° { $id } { $state } : envoyés { $sent }, bloqués { $blocked }, échecs { $failed }, non envoyés { $left } (sur { $total }).
admin-broadcast-state-done = terminée
admin-broadcast-state-cancelled = annulée
## sellers — /sell onboarding, the seller's home, payouts (bot/features/sell.ts, payout.ts). HTML.

menu-sell = 💼 Vendre
command-sell = Devenir vendeur
sell-intro =
    💼 <b>Devenir vendeur</b>

    Quatre questions rapides et vous pourrez mettre vos formations en vente. Tapez /cancel à tout moment : rien n'est gardé avant la fin.
sell-ask-name = 1/4 · Quel nom les acheteurs verront-ils ? ({ $min } à { $max } caractères)
sell-ask-bio = 2/4 · Présentez-vous en quelques lignes ({ $max } caractères au plus), ou touchez Passer.
sell-ask-email = 3/4 · Votre adresse e-mail, pour les messages sur vos ventes et vos paiements (facultatif), ou touchez Passer.
sell-email-unverified = C'est noté. Cette adresse n'est pas encore vérifiée : vérifiez qu'elle est juste.
sell-ask-network = 4/4 · Où vous payer ? Choisissez le réseau de votre adresse de paiement.
sell-ask-address = Collez maintenant votre adresse <b>{ $network }</b>.
sell-skip = ⏭ Passer
sell-text-only = Merci de répondre par un texte, ou tapez /cancel.
sell-name-too-short = Ce nom est trop court : { $min } caractères au moins. Merci de réessayer.
sell-name-too-long = Ce nom est trop long : { $max } caractères au plus. Merci de réessayer.
sell-bio-too-long = C'est trop long : { $max } caractères au plus. Merci de raccourcir.
sell-email-invalid = Cela ne ressemble pas à une adresse e-mail (comme nom@exemple.fr). Merci de réessayer, ou touchez Passer.
sell-network-unknown = Merci de choisir l'un des réseaux proposés sur les boutons.
sell-address-format = Ce n'est pas une adresse { $network }. Vérifiez-la et collez-la à nouveau.
sell-address-checksum = Cette adresse { $network } contient une faute de frappe (sa somme de contrôle ne correspond pas). Copiez-la à nouveau depuis votre portefeuille.
sell-address-network = Cette adresse appartient à un autre réseau que { $network }. Merci de coller une adresse { $network }.
sell-already = Vous êtes déjà vendeur.
sell-welcome = 🎉 Bienvenue, <b>{ $name }</b> ! Vous êtes maintenant vendeur.
seller-home =
    💼 <b>{ $name }</b> — vendeur

    Adresse de paiement : <b>{ $network }</b> <code>{ $address }</code>
    Solde disponible : <b>{ $available }</b>
seller-home-commands = /payout — votre solde et vos paiements
not-a-seller = Vous n'êtes pas encore vendeur. Tapez /sell pour le devenir.
command-payout = Être payé (vendeurs)
payout-title =
    💸 <b>Paiement</b>

    Disponible : <b>{ $available }</b> (en attente : { $pending })
    Versé sur : <b>{ $network }</b> <code>{ $address }</code>
    Paiement minimum : { $min }
payout-below-min = Votre solde disponible est inférieur au paiement minimum.
payout-history = <b>Vos paiements</b>
payout-status-pending = ⏳ en attente
payout-status-paid = ✅ payé
payout-status-rejected = ↩️ refusé
button-payout-request = 💸 Demander { $amount }
payout-requested = ✅ Paiement n°{ $id } de { $amount } demandé. Le montant est réservé ; vous serez prévenu de son envoi.
payout-admin-alert = 💸 Paiement n°{ $id } demandé par { $seller } : { $amount } vers { $network } { $address }
command-newcourse = Ajouter une formation (vendeurs)
course-intro =
    📚 <b>Nouvelle formation</b>

    Quelques questions, puis votre fichier. Tapez /cancel à tout moment : rien n'est publié sans votre accord.
course-ask-title = Le titre de la formation ({ $min } à { $max } caractères) ?
course-ask-description = Sa description ({ $max } caractères au plus) ?
course-ask-category = Sa catégorie ?
course-ask-price = Son prix en { $currency } (de 1,00 à 5 000,00 ; virgule ou point, comme 19,90) ?
course-ask-stars = Son prix en Telegram Stars (un nombre entier), ou touchez Passer pour le déduire du prix.
course-ask-file = Envoyez maintenant le fichier de la formation comme <b>document</b> (PDF, EPUB, ZIP, MP4, MP3...), jusqu'à { $size } ici.
course-title-invalid = Le titre doit faire de { $min } à { $max } caractères. Merci de réessayer.
course-description-invalid = La description ne doit pas être vide et doit faire { $max } caractères au plus.
course-category-unknown = Merci de choisir l'une des catégories proposées sur les boutons.
course-price-invalid = Ce n'est pas un prix de 1,00 à 5 000,00 (comme 19,90 ou 19.90). Merci de réessayer.
course-stars-invalid = Merci de taper un nombre entier de Stars (comme 500), ou touchez Passer.
course-file-document-only = Merci d'envoyer la formation comme fichier (un document), pas comme photo ou texte.
course-file-type = Ce type de fichier n'est pas accepté (ou son contenu ne correspond pas à son nom). Envoyez un PDF, EPUB, ZIP, MP4, MP3...
course-file-too-large = Ce fichier est trop volumineux : { $size } au plus.
course-preview =
    👀 <b>Aperçu</b>

    <b>{ $title }</b>
    { $description }

    Catégorie : { $category }
    Prix : { $price } · ⭐ { $stars }
    Fichier : { $file } ({ $size })
course-publish = ✅ Publier
course-discard = ✖️ Abandonner
course-discarded = Formation abandonnée : rien n'a été publié.
course-published =
    🎉 <b>{ $title }</b> est en vente ({ $id }).
    Partagez-la : { $url }
course-refused-suspended = ⛔ Votre compte vendeur est suspendu : vous ne pouvez pas publier de formations.
command-dashboard = Tableau de bord des ventes (vendeurs)
dashboard-title = 📊 <b>Votre tableau de bord</b>
dashboard-today = Aujourd'hui : { $sales } ventes · { $revenue } (frais { $fee }, pour vous { $net })
dashboard-7-days = 7 jours : { $sales } ventes · { $revenue } (frais { $fee }, pour vous { $net })
dashboard-30-days = 30 jours : { $sales } ventes · { $revenue } (frais { $fee }, pour vous { $net })
dashboard-all-time = Depuis le début : { $sales } ventes · { $revenue } (frais { $fee }, pour vous { $net })
dashboard-balance = Solde : <b>{ $available }</b> disponible · { $pending } en attente · { $paid } versé
dashboard-rating = Note moyenne : ⭐ { $average } ({ $count } avis)
dashboard-top = <b>Meilleures formations</b>
dashboard-chart-title = 30 derniers jours
dashboard-chart-sales = Ventes
dashboard-chart-revenue = Chiffre d'affaires ({ $currency })
dashboard-chart-caption = 📈 Ventes et chiffre d'affaires, 30 derniers jours
button-sales-csv = 📄 Exporter les ventes (CSV)
button-admin-payouts = 💸 Virements
admin-payouts-title = <b>💸 Virements en attente ({ $count }), les plus anciens d’abord</b>
admin-payouts-empty = Aucun virement en attente.
admin-payout =
    <b>n° { $id }</b> · { $seller } · { $amount } · { $network }
    <code>{ $address }</code>
    /paid { $id } HASH-TX · /rejectpayout { $id } motif
admin-payout-paid = 💸 Virement n° { $id } marqué payé.
admin-payout-rejected = ↩️ Virement n° { $id } refusé ; le montant est de nouveau disponible pour le vendeur.
admin-payout-paid-seller = 💸 Votre virement de { $amount } a été envoyé sur { $network }. Transaction : <code>{ $tx }</code>
admin-payout-rejected-seller = ↩️ Votre demande de virement de { $amount } a été refusée : { $reason }. Le montant est de nouveau disponible.
course-file-use-link =
    Ce fichier dépasse les { $size } qu'un bot peut récupérer auprès de Telegram. Envoyez-le sur cette page à usage unique (valable une heure) :
    { $url }
    Je vous préviendrai ici quand il sera arrivé.
course-upload-waiting = Votre fichier n'est pas encore arrivé. Envoyez-le par le lien ci-dessus, ou envoyez ici un fichier plus petit.
course-upload-arrived = 📥 Votre fichier « { $file } » ({ $size }) est arrivé. Touchez Continuer pour terminer votre formation.
course-upload-continue = ▶️ Continuer
command-apikey = Clés d'API (vendeurs)
apikey-title = 🔑 <b>Vos clés d'API</b> (pour l'API HTTP vendeur)
apikey-none = Vous n'avez encore aucune clé d'API.
apikey-line = <code>{ $id }</code> · créée le { $created } · dernière utilisation { $used }
button-apikey-new = ➕ Nouvelle clé
button-apikey-revoke = 🗑 Révoquer { $id }
apikey-created =
    🔑 Votre nouvelle clé (id <code>{ $id }</code>), affichée <b>une seule fois</b> : copiez-la maintenant.
    <code>{ $key }</code>
apikey-revoked = Clé { $id } révoquée.
button-dashboard = 📊 Tableau de bord

## notify — e-mails (modules/notify/render.ts). Texte brut ; la partie HTML en est tirée.

email-footer = TechBot Marketplace. Vous recevez cet e-mail à cause d’une commande ou d’une demande faite avec cette adresse.
email-receipt-subject = Votre formation « { $title } » — commande { $order }
email-receipt-body =
    Merci pour votre achat.

    Formation : { $title }
    Prix payé : { $amount }
    Commande : { $order }

    Téléchargez votre formation (ce lien est valable { $hours } heures) :
    { $download }

    Lien expiré ? Obtenez-en un nouveau à tout moment :
    { $renew }
email-sale-subject = Vous avez vendu « { $title } »
email-sale-body =
    Bonne nouvelle : « { $title } » vient d’être acheté.

    Commande : { $order }
    Votre part : { $amount }
email-support-reply-subject = Réponse à votre ticket n° { $ticket }
email-support-reply-body =
    Nous avons répondu à votre ticket n° { $ticket } :

    { $reply }
email-alert-subject = [Alerte TechBot] { $title }
email-alert-body =
    { $title }

    { $detail }

## e-mail verification — the code typed in the bot to prove an address (bot/features/email-code.ts)
email-code-sent = 📧 Nous avons envoyé un code à 6 chiffres à { $to }. Tapez-le ici ; il est valable { $minutes } minutes.
email-code-resend = 🔁 Envoyer un nouveau code
email-code-skip = ⏭ Passer la vérification
email-code-cancel = ✖️ Annuler
email-code-wrong = Ce code est faux. { $tries ->
    [one] Il reste un essai.
   *[other] Il reste { $tries } essais.
}
email-code-expired = Ce code a expiré. Touchez « 🔁 Envoyer un nouveau code » pour en recevoir un autre.
email-code-exhausted = Trop de codes faux. Touchez « 🔁 Envoyer un nouveau code » pour en recevoir un autre.
email-code-too-many = Trop de codes envoyés dans l’heure. Merci de réessayer plus tard.
sell-email-verified = ✅ Votre e-mail est vérifié.
sell-email-kept-unverified = Votre e-mail est conservé, mais il n’est pas vérifié.
email-verify-code-subject = Votre code TechBot : { $code }
email-verify-code-body =
    Votre code pour vérifier cette adresse e-mail : { $code }

    Tapez-le dans le bot (ou envoyez-le à l’API). Il est valable { $minutes } minutes.
    Si vous ne l’avez pas demandé, ignorez cet e-mail.
email-change-code-subject = Confirmez la modification de votre compte vendeur : { $code }
email-change-code-body =
    Une modification de votre compte vendeur TechBot attend ce code : { $code }
    { $what ->
        [address] Nouvelle adresse de paiement : { $network } { $address }
        [email] Nouvel e-mail : { $email }
       *[both] Nouvelle adresse de paiement : { $network } { $address } ; nouvel e-mail : { $email }
    }

    Tapez le code dans le bot (ou envoyez-le à l’API) seulement si c’est la modification que vous avez demandée. Il est valable { $minutes } minutes.
    Si vous n’avez rien demandé, ne communiquez pas ce code : rien ne change sans lui.
button-payout-change-address = ✏️ Changer l’adresse de paiement
payout-address-ask-network = Choisissez le réseau de votre nouvelle adresse de paiement.
payout-address-confirm = Votre e-mail est vérifié : pour protéger vos paiements, cette modification demande le code que nous vous envoyons par e-mail.
payout-address-changed = ✅ Nouvelle adresse de paiement : { $network } { $address }
payout-address-unchanged = Votre adresse de paiement n’a pas changé.
seller-suspended-notice =
    ⛔ Votre compte vendeur est suspendu.
    Motif : { $reason }

    Vos formations sont masquées, et vous ne pouvez ni publier ni demander de paiement. Écrivez à /support si vous pensez que c’est une erreur.
email-code-not-sent = Nous n’avons pas pu envoyer l’e-mail pour le moment. Merci de réessayer plus tard.
## courses — /mycourses, la photo de couverture et « Modifier » de /newcourse (bot/features/my-courses.ts, edit-course.ts, new-course.ts). HTML.
command-mycourses = Vos formations (vendeurs)
course-ask-cover = Une photo de couverture pour la fiche ? Envoyez une photo, ou touchez Passer.
course-ask-cover-edit = Envoyez la nouvelle photo de couverture, ou touchez « Sans couverture » pour la retirer.
course-cover-remove = 🚫 Sans couverture
course-cover-invalid = Envoyez une photo (pas un fichier), ou utilisez le bouton.
course-edit = ✏️ Modifier
course-edit-which = Quelle partie voulez-vous changer ?
course-field-title = Titre
course-field-description = Description
course-field-category = Catégorie
course-field-price = Prix
course-field-stars = Prix en Stars
course-field-cover = Photo de couverture
course-field-file = Fichier
mycourses-button = 📚 Mes formations
mycourses-dashboard-button = 📊 Tableau de bord
mycourses-title = 📚 <b>Vos formations</b> ({ $count })
mycourses-empty = Vous n'avez pas encore de formation. Tapez /newcourse pour en ajouter une.
mycourses-page = Page { $page } sur { $pages }
mycourses-back = ⬅️ Mes formations
mycourse-card =
    { $mark } <b>{ $title }</b> ({ $id })
    { $state }

    Prix : { $price } · ⭐ { $stars }
    Fichier : { $file }

    Ventes : <b>{ $sales }</b> · chiffre d'affaires { $revenue } · votre part <b>{ $share }</b>
mycourse-state-on = En vente : dans le catalogue et la recherche.
mycourse-state-off = Retirée de la vente : absente du catalogue ; les acheteurs gardent leur copie.
mycourse-state-banned = Retirée par l'opérateur.
mycourse-edit = ✏️ Modifier
mycourse-share = 🔗 Partager
mycourse-off = ⏸ Retirer de la vente
mycourse-on = ▶️ Remettre en vente
mycourse-delete = 🗑 Supprimer
mycourse-delete-ask = Supprimer « { $title } » ? Elle quitte le catalogue et votre liste pour de bon. Les acheteurs gardent leur accès et peuvent toujours la télécharger.
mycourse-delete-confirm = 🗑 Oui, supprimer
mycourse-deleted = Formation supprimée.
mycourse-now-on = Remise en vente.
mycourse-now-off = Retirée de la vente.
mycourse-gone = Cette formation n'existe plus.
mycourse-edit-which = Que voulez-vous changer dans « { $title } » ?
mycourse-saved = ✅ Enregistré.
mycourse-share-text =
    🔗 <b>{ $title }</b>

    La formation : { $course }
    Votre boutique : { $shop }
mycourse-locked = ⛔ Cette formation a été retirée par l'opérateur : elle ne peut pas être modifiée.
## operator — dead jobs, orders, partial payments, flagged payment events, payout export (the operator's /admin)

button-admin-jobs = ⚰️ Tâches mortes
admin-jobs-empty = Aucune tâche morte. 🎉
admin-jobs-title = <b>⚰️ Tâches mortes : { $count }</b> (les { $shown } plus récentes ci-dessous)
admin-job =
    <b>Tâche #{ $id }</b> · { $kind } · { $for }
    { $attempts } tentative(s) · morte depuis le { $date }
    <i>{ $error }</i>
button-admin-job-retry = 🔁 Relancer #{ $id }
button-admin-job-discard = 🗑 Abandonner #{ $id }
admin-job-retried = 🔁 La tâche #{ $id } est de retour dans la file.
admin-job-discarded = 🗑 Tâche #{ $id } abandonnée.
admin-menu-ops = /order ID-COMMANDE · /orders ID-COURS | ID-TELEGRAM | @pseudo | e-mail · /refusepartial ID-COMMANDE motif
button-admin-orders = 📦 Commandes
admin-orders-screen =
    <b>📦 Commandes</b>
    Trouvez-en une avec /order ID-COMMANDE, ou celles d’un acheteur ou d’un cours avec /orders suivi d’un id Telegram, d’un @pseudo, d’un e-mail ou d’un id de cours.
button-admin-undelivered = 📭 Payées, non livrées ({ $count })
button-admin-partials = 🌓 Payées en partie ({ $count })
button-admin-flagged = 🚩 Paiements signalés ({ $count })
admin-undelivered-empty = Toutes les commandes payées ont été livrées. 🎉
admin-partials-empty = Aucune commande payée en partie n’attend de décision.
admin-flagged-empty = Plus aucun paiement signalé à examiner.
admin-why-no_file = Pourquoi : le cours n’a pas encore de fichier.
admin-why-blocked_bot = Pourquoi : l’acheteur a bloqué le bot.
admin-why-dead_job = Pourquoi : la livraison a abandonné
admin-why-in_progress = Pourquoi : une livraison est en cours (en file).
admin-why-no_job = Pourquoi : plus rien ne la tente ; relancez la livraison.
button-admin-redeliver = 🔁 Relancer la livraison
button-admin-accept-partial = ✅ Accepter le paiement partiel
admin-order =
    <b>Commande { $order }</b> · { $status } · { $method }
    { $title } · { $price }
    Acheteur : { $buyer }
    Créée { $created } · payée { $paid } · livrée { $delivered }
admin-order-why = { $why }
admin-order-received = Reçu { $paid } sur { $asked } { $currency } (manque { $missing }).
admin-partial-usage = Pour le refuser : /refusepartial { $order } motif
admin-orders-found = <b>{ $count } commande(s) pour { $query }</b>, les plus récentes d’abord :
admin-orders-none = Aucune commande trouvée pour { $query }.
admin-partial-refused = ✖️ Le paiement partiel de { $order } a été refusé ; l’acheteur est prévenu.
admin-partial-accepted = ✅ { $order } acceptée comme payée ; le cours part.
admin-redelivering = 🔁 Livraison de { $order } relancée (tâche #{ $job }).
admin-partial-refused-buyer = ✖️ Votre paiement pour la commande { $order } (« { $title } », { $price }) ne couvrait pas le prix et a été refusé : { $reason }. Écrivez à /support au sujet de ce que vous avez envoyé.
admin-flagged =
    <b>🚩 #{ $id } { $flag }</b> · paiement { $payment } · commande { $order }
    { $status } · { $date }
    { $reason }
button-admin-handled = ✅ Marquer #{ $id } traité
admin-flagged-handled = ✅ Événement de paiement #{ $id } marqué traité.
button-admin-stars-back = ↩️ Rendre { $stars } ⭐ (#{ $id })
admin-stars-given-back = ↩️ { $stars } ⭐ de l’événement de paiement #{ $id } rendues au payeur ; l’événement est traité.
admin-stats-payouts = Virements en attente : { $count } · { $amount }
button-admin-payouts-csv = 📄 Virements en CSV, 30 derniers jours
admin-payouts-csv = 📄 { $count } virement(s) demandé(s) du { $from } au { $to }. Autre période : /payoutscsv DU AU (AAAA-MM-JJ)

## buyer e-mail (/email)
command-email = Copies des reçus par e-mail
email-disabled = Cette boutique n'envoie pas d'e-mail : vos achats et les réponses arrivent ici, dans la conversation.
email-none = Aucune adresse e-mail n'est enregistrée pour vous. Tapez /email suivi de votre adresse (comme /email vous@exemple.fr) pour recevoir aussi chaque reçu, avec son lien de téléchargement, et les réponses à vos demandes d'aide par e-mail.
email-current = Les copies de vos reçus et des réponses à vos demandes d'aide partent à <b>{ $email }</b>. Tapez /email avec une autre adresse pour la changer, ou /email off pour arrêter.
email-saved = ✅ Enregistré : vos prochains reçus et réponses seront aussi envoyés à <b>{ $email }</b>. /email off pour arrêter.
email-removed = ✅ Supprimée : plus de copies par e-mail.
email-invalid = Ce n'est pas une adresse e-mail. Tapez-la après la commande, comme /email vous@exemple.fr.

## e-mail: a partial payment refused (e-mail buyers)
email-partial-refused-subject = Votre commande { $order } : paiement partiel refusé
email-partial-refused-body =
    Votre paiement pour « { $title } » ({ $price }) est arrivé incomplet, et la boutique l'a refusé : { $reason }

    La commande { $order } est annulée et rien n'a été livré. Si des fonds doivent vous être renvoyés, la boutique vous contacte à ce sujet ; si vous payez le reste, la commande est de nouveau payée.
