"""The words of the digests (mails and the follow pages) in sv, nb, da and en.

Kept as a table of our own rather than in the web app's Babel catalogues: the mails are
rendered by `procradar digest send`, outside any request, in the subscriber's language.
"""

from __future__ import annotations

from procradar.core.taxonomy import COUNTRY_LABELS, KIND_LABELS, LANGUAGE_LABELS, TOPIC_LABELS

LANGUAGES: dict[str, str] = {"sv": "Svenska", "nb": "Norsk", "da": "Dansk", "en": "English"}
DEFAULT = "sv"
FALLBACK = {"da": "nb", "nb": "sv", "sv": "en", "en": "en"}

_TEXTS: dict[str, dict[str, str]] = {
    "follow": {"sv": "Bevaka", "nb": "Følg", "da": "Følg", "en": "Follow"},
    "follow_title": {
        "sv": "Bevaka sökningen",
        "nb": "Følg søket",
        "da": "Følg søgningen",
        "en": "Follow this search",
    },
    "follow_intro": {
        "sv": "Du får ett mejl när nya artiklar matchar sökningen. Inget konto behövs: "
        "vi sparar bara din adress och dina bevakningar.",
        "nb": "Du får en e-post når nye artikler passer til søket. Ingen konto trengs: "
        "vi lagrer bare adressen din og søkene dine.",
        "da": "Du får en e-mail, når nye artikler matcher søgningen. Ingen konto er nødvendig: "
        "vi gemmer kun din adresse og dine søgninger.",
        "en": "You get an email when new articles match this search. No account needed: "
        "we keep only your address and your searches.",
    },
    "email": {"sv": "E-postadress", "nb": "E-postadresse", "da": "E-mailadresse", "en": "Email"},
    "frequency": {"sv": "Hur ofta", "nb": "Hvor ofte", "da": "Hvor ofte", "en": "How often"},
    "immediate": {"sv": "Direkt", "nb": "Straks", "da": "Straks", "en": "Right away"},
    "daily": {"sv": "Dagligen", "nb": "Daglig", "da": "Dagligt", "en": "Daily"},
    "weekly": {"sv": "Veckovis", "nb": "Ukentlig", "da": "Ugentligt", "en": "Weekly"},
    "mail_language": {
        "sv": "Språk i mejlen",
        "nb": "Språk i e-postene",
        "da": "Sprog i e-mails",
        "en": "Language of the emails",
    },
    "subscribe": {"sv": "Bevaka", "nb": "Følg", "da": "Følg", "en": "Follow"},
    "search": {"sv": "Sökning", "nb": "Søk", "da": "Søgning", "en": "Search"},
    "all_articles": {
        "sv": "alla artiklar",
        "nb": "alle artikler",
        "da": "alle artikler",
        "en": "all articles",
    },
    "check_mail_title": {
        "sv": "Kolla din e-post",
        "nb": "Sjekk e-posten din",
        "da": "Tjek din e-mail",
        "en": "Check your email",
    },
    "check_mail": {
        "sv": "Om adressen är giltig har vi skickat en länk för att bekräfta bevakningen. "
        "Ingenting skickas förrän du bekräftat.",
        "nb": "Hvis adressen er gyldig, har vi sendt en lenke for å bekrefte. "
        "Ingenting sendes før du har bekreftet.",
        "da": "Hvis adressen er gyldig, har vi sendt et link til at bekræfte. "
        "Intet sendes, før du har bekræftet.",
        "en": "If the address is valid we have sent a link to confirm. "
        "Nothing is sent until you confirm.",
    },
    "bad_email": {
        "sv": "Det ser inte ut som en e-postadress.",
        "nb": "Dette ser ikke ut som en e-postadresse.",
        "da": "Det ligner ikke en e-mailadresse.",
        "en": "That does not look like an email address.",
    },
    "bad_choice": {
        "sv": "Ogiltigt val.",
        "nb": "Ugyldig valg.",
        "da": "Ugyldigt valg.",
        "en": "Not a valid choice.",
    },
    "too_many": {
        "sv": "För många försök. Försök igen senare.",
        "nb": "For mange forsøk. Prøv igjen senere.",
        "da": "For mange forsøg. Prøv igen senere.",
        "en": "Too many attempts. Please try again later.",
    },
    "mail_failed": {
        "sv": "Mejlet kunde inte skickas just nu. Försök igen senare.",
        "nb": "E-posten kunne ikke sendes nå. Prøv igjen senere.",
        "da": "E-mailen kunne ikke sendes nu. Prøv igen senere.",
        "en": "The email could not be sent just now. Please try again later.",
    },
    "confirm_title": {
        "sv": "Bekräfta bevakningen",
        "nb": "Bekreft abonnementet",
        "da": "Bekræft abonnementet",
        "en": "Confirm your subscription",
    },
    "confirm_button": {"sv": "Bekräfta", "nb": "Bekreft", "da": "Bekræft", "en": "Confirm"},
    "confirmed_title": {
        "sv": "Bevakningen är aktiv",
        "nb": "Abonnementet er aktivt",
        "da": "Abonnementet er aktivt",
        "en": "Your subscription is active",
    },
    "link_invalid": {
        "sv": "Länken är ogiltig eller för gammal.",
        "nb": "Lenken er ugyldig eller for gammel.",
        "da": "Linket er ugyldigt eller for gammelt.",
        "en": "This link is invalid or has expired.",
    },
    "manage_title": {
        "sv": "Dina bevakningar",
        "nb": "Dine abonnementer",
        "da": "Dine abonnementer",
        "en": "Your subscriptions",
    },
    "none_left": {
        "sv": "Du har inga bevakningar kvar och din adress är raderad.",
        "nb": "Du har ingen abonnementer igjen, og adressen din er slettet.",
        "da": "Du har ingen abonnementer tilbage, og din adresse er slettet.",
        "en": "You have no subscriptions left and your address has been deleted.",
    },
    "status": {"sv": "Status", "nb": "Status", "da": "Status", "en": "Status"},
    "active": {"sv": "Aktiv", "nb": "Aktiv", "da": "Aktiv", "en": "Active"},
    "paused": {"sv": "Pausad", "nb": "Pauset", "da": "Sat på pause", "en": "Paused"},
    "pending": {
        "sv": "Väntar på bekräftelse",
        "nb": "Venter på bekreftelse",
        "da": "Afventer bekræftelse",
        "en": "Awaiting confirmation",
    },
    "pause": {"sv": "Pausa", "nb": "Pause", "da": "Sæt på pause", "en": "Pause"},
    "resume": {"sv": "Återuppta", "nb": "Gjenoppta", "da": "Genoptag", "en": "Resume"},
    "save": {"sv": "Spara", "nb": "Lagre", "da": "Gem", "en": "Save"},
    "delete": {"sv": "Ta bort", "nb": "Slett", "da": "Slet", "en": "Delete"},
    "delete_all": {
        "sv": "Avsluta alla och radera min adress",
        "nb": "Avslutt alle og slett adressen min",
        "da": "Afmeld alle og slet min adresse",
        "en": "Stop all and delete my address",
    },
    "feeds": {"sv": "Flöden", "nb": "Strømmer", "da": "Feeds", "en": "Feeds"},
    "feeds_help": {
        "sv": "Hemliga adresser för feedläsare och kalendrar. Dela dem inte.",
        "nb": "Hemmelige adresser for nyhetslesere og kalendere. Ikke del dem.",
        "da": "Hemmelige adresser til feedlæsere og kalendere. Del dem ikke.",
        "en": "Secret addresses for feed readers and calendars. Do not share them.",
    },
    "new_feed_links": {
        "sv": "Nya flödesadresser (de gamla slutar fungera)",
        "nb": "Nye adresser (de gamle slutter å virke)",
        "da": "Nye adresser (de gamle holder op med at virke)",
        "en": "New feed addresses (the old ones stop working)",
    },
    "unsubscribe": {"sv": "Avsluta", "nb": "Avslutt", "da": "Afmeld", "en": "Unsubscribe"},
    "unsubscribe_title": {
        "sv": "Avsluta bevakningen",
        "nb": "Avslutt abonnementet",
        "da": "Afmeld abonnementet",
        "en": "Unsubscribe",
    },
    "unsubscribed": {
        "sv": "Du får inga fler mejl om den här sökningen.",
        "nb": "Du får ikke flere e-poster om dette søket.",
        "da": "Du får ikke flere e-mails om denne søgning.",
        "en": "You will get no more emails about this search.",
    },
    "saved": {"sv": "Sparat.", "nb": "Lagret.", "da": "Gemt.", "en": "Saved."},
    # mails
    "confirm_subject": {
        "sv": "Bekräfta din bevakning på procradar",
        "nb": "Bekreft abonnementet ditt på procradar",
        "da": "Bekræft dit abonnement på procradar",
        "en": "Confirm your procradar subscription",
    },
    "confirm_body": {
        "sv": "Någon (förhoppningsvis du) vill få nya artiklar om sökningen nedan till den "
        "här adressen. Öppna länken för att bekräfta:",
        "nb": "Noen (forhåpentligvis du) vil få nye artikler om søket nedenfor til denne "
        "adressen. Åpne lenken for å bekrefte:",
        "da": "Nogen (forhåbentlig dig) vil have nye artikler om søgningen nedenfor til denne "
        "adresse. Åbn linket for at bekræfte:",
        "en": "Someone (hopefully you) asked for new articles about the search below at this "
        "address. Open the link to confirm:",
    },
    "confirm_ignore": {
        "sv": "Om det inte var du behöver du inte göra något; inget mer skickas.",
        "nb": "Hvis det ikke var deg, trenger du ikke gjøre noe; ingenting mer sendes.",
        "da": "Hvis det ikke var dig, skal du ikke gøre noget; intet mere sendes.",
        "en": "If this was not you, do nothing; nothing more will be sent.",
    },
    "digest_subject": {
        "sv": "{n} nya artiklar: {search}",
        "nb": "{n} nye artikler: {search}",
        "da": "{n} nye artikler: {search}",
        "en": "{n} new articles: {search}",
    },
    "digest_subject_one": {
        "sv": "1 ny artikel: {search}",
        "nb": "1 ny artikkel: {search}",
        "da": "1 ny artikel: {search}",
        "en": "1 new article: {search}",
    },
    "digest_intro": {
        "sv": "Nya artiklar sedan förra utskicket för din bevakning:",
        "nb": "Nye artikler siden forrige utsending for søket ditt:",
        "da": "Nye artikler siden sidste udsendelse for din søgning:",
        "en": "New articles since the last digest for your search:",
    },
    "more_than_shown": {
        "sv": "Här visas {shown} av {total}.",
        "nb": "Her vises {shown} av {total}.",
        "da": "Her vises {shown} af {total}.",
        "en": "Showing {shown} of {total}.",
    },
    "see_all": {
        "sv": "Se alla träffar på procradar",
        "nb": "Se alle treff på procradar",
        "da": "Se alle resultater på procradar",
        "en": "See all results on procradar",
    },
    "read": {"sv": "Läs", "nb": "Les", "da": "Læs", "en": "Read"},
    "source": {"sv": "Källa", "nb": "Kilde", "da": "Kilde", "en": "Source"},
    "published": {"sv": "Publicerad", "nb": "Publisert", "da": "Udgivet", "en": "Published"},
    "event": {"sv": "Evenemang", "nb": "Arrangement", "da": "Arrangement", "en": "Event"},
    "topics": {"sv": "Ämnen", "nb": "Emner", "da": "Emner", "en": "Topics"},
    "other_topics": {"sv": "Övrigt", "nb": "Annet", "da": "Andet", "en": "Other"},
    "manage": {
        "sv": "Hantera dina bevakningar",
        "nb": "Administrer abonnementene dine",
        "da": "Administrer dine abonnementer",
        "en": "Manage your subscriptions",
    },
    "why": {
        "sv": "Du får det här mejlet för att du bekräftade en bevakning på procradar.",
        "nb": "Du får denne e-posten fordi du bekreftet et abonnement på procradar.",
        "da": "Du får denne e-mail, fordi du bekræftede et abonnement på procradar.",
        "en": "You get this email because you confirmed a subscription on procradar.",
    },
    "frequency_is": {
        "sv": "Utskick: {f}",
        "nb": "Utsending: {f}",
        "da": "Udsendelse: {f}",
        "en": "Sent: {f}",
    },
}


def lang_or_default(value: str | None) -> str:
    return value if value in LANGUAGES else DEFAULT


def text(key: str, lang: str, **values: object) -> str:
    row = _TEXTS[key]
    found = row.get(lang) or row[FALLBACK.get(lang, "en")]
    return found.format(**values) if values else found


def label(table: str, value: str, lang: str) -> str:
    """The name of a taxonomy id in `lang` (Danish borrows Norwegian where missing)."""
    tables = {
        "topic": TOPIC_LABELS,
        "kind": KIND_LABELS,
        "language": LANGUAGE_LABELS,
        "country": COUNTRY_LABELS,
    }
    names = tables[table].get(value)
    if not names:
        return value
    for candidate in (lang, FALLBACK.get(lang, "en"), "en"):
        if candidate in names:
            return names[candidate]
    return value


def translator(lang: str) -> dict[str, object]:
    """What templates get: t('key', n=…) and L('topic', id) bound to one language."""
    return {
        "t": lambda key, **values: text(key, lang, **values),
        "L": lambda table, value: label(table, value, lang),
        "lang": lang,
    }
