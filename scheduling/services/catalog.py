"""The default service catalogue (codes are stable; coordinators may edit the rest)."""

from django.db import transaction

from scheduling.constants import ServiceCategory, ServiceKind
from scheduling.models import ServiceType

DEFAULT_SERVICES = [
    {
        "code": "brp",
        "name": "BRP registration",
        "description": "Registration in the Personal Records Database (stay of 4 months or more); "
        "you receive a BSN.",
        "kind": ServiceKind.GOVERNMENT,
        "category": ServiceCategory.REGISTRATION_BRP,
        "duration_minutes": 20,
        "sort_order": 10,
        "queue_prefix": "A",
        "translations": {
            "nl": {
                "name": "Inschrijving BRP",
                "description": "Inschrijving in de Basisregistratie Personen (verblijf van 4 maanden of langer); u krijgt een BSN.",
            },
            "pl": {
                "name": "Rejestracja BRP",
                "description": "Rejestracja w Basisregistratie Personen (pobyt 4 miesiące lub dłużej); otrzymasz numer BSN.",
            },
            "ro": {
                "name": "Înregistrare BRP",
                "description": "Înregistrare în registrul BRP (ședere de 4 luni sau mai mult); primiți un BSN.",
            },
            "bg": {
                "name": "Регистрация в BRP",
                "description": "Регистрация в BRP (престой от 4 месеца или повече); получавате BSN.",
            },
            "hu": {
                "name": "BRP-regisztráció",
                "description": "Regisztráció a BRP nyilvántartásba (4 hónapos vagy hosszabb tartózkodás); BSN-t kap.",
            },
        },
    },
    {
        "code": "rni",
        "name": "RNI registration",
        "description": "Registration as non-resident (stay shorter than 4 months); you receive a BSN.",
        "kind": ServiceKind.GOVERNMENT,
        "category": ServiceCategory.REGISTRATION_RNI,
        "duration_minutes": 15,
        "sort_order": 11,
        "queue_prefix": "A",
        "translations": {
            "nl": {
                "name": "Inschrijving RNI",
                "description": "Inschrijving als niet-ingezetene (verblijf korter dan 4 maanden); u krijgt een BSN.",
            },
            "pl": {
                "name": "Rejestracja RNI",
                "description": "Rejestracja jako nierezydent (pobyt krótszy niż 4 miesiące); otrzymasz numer BSN.",
            },
            "ro": {
                "name": "Înregistrare RNI",
                "description": "Înregistrare ca nerezident (ședere mai scurtă de 4 luni); primiți un BSN.",
            },
            "bg": {
                "name": "Регистрация в RNI",
                "description": "Регистрация като нерезидент (престой под 4 месеца); получавате BSN.",
            },
            "hu": {
                "name": "RNI-regisztráció",
                "description": "Regisztráció nem rezidensként (4 hónapnál rövidebb tartózkodás); BSN-t kap.",
            },
        },
    },
    {
        "code": "zvw",
        "name": "Health insurance intake",
        "description": "Sign-up for the mandatory Dutch health insurance.",
        "kind": ServiceKind.GOVERNMENT,
        "category": ServiceCategory.HEALTH_INSURANCE,
        "duration_minutes": 15,
        "sort_order": 20,
        "queue_prefix": "B",
        "translations": {
            "nl": {
                "name": "Intake zorgverzekering",
                "description": "Aanmelding voor de verplichte Nederlandse zorgverzekering.",
            },
            "pl": {
                "name": "Ubezpieczenie zdrowotne",
                "description": "Zgłoszenie do obowiązkowego holenderskiego ubezpieczenia zdrowotnego.",
            },
            "ro": {
                "name": "Asigurare de sănătate",
                "description": "Înscriere în asigurarea de sănătate olandeză obligatorie.",
            },
            "bg": {
                "name": "Здравна застраховка",
                "description": "Записване за задължителната нидерландска здравна застраховка.",
            },
            "hu": {
                "name": "Egészségbiztosítás",
                "description": "Jelentkezés a kötelező holland egészségbiztosításra.",
            },
        },
    },
    {
        "code": "ind",
        "name": "IND referral",
        "description": "Advice and a documents checklist for your residence permit at the IND.",
        "kind": ServiceKind.GOVERNMENT,
        "category": ServiceCategory.IND_REFERRAL,
        "duration_minutes": 15,
        "sort_order": 30,
        "queue_prefix": "C",
        "translations": {
            "nl": {
                "name": "Doorverwijzing IND",
                "description": "Advies en documentenlijst voor uw verblijfsvergunning bij de IND.",
            },
            "pl": {
                "name": "Skierowanie do IND",
                "description": "Porada i lista dokumentów do zezwolenia na pobyt w IND.",
            },
            "ro": {
                "name": "Trimitere la IND",
                "description": "Consiliere și listă de documente pentru permisul de ședere la IND.",
            },
            "bg": {
                "name": "Насочване към IND",
                "description": "Съвет и списък с документи за разрешение за пребиваване в IND.",
            },
            "hu": {
                "name": "IND-továbbítás",
                "description": "Tanácsadás és dokumentumlista a tartózkodási engedélyhez az IND-nél.",
            },
        },
    },
    {
        "code": "twv",
        "name": "Work permit referral (TWV/GVVA)",
        "description": "Referral for the work permit (TWV via UWV, or GVVA via the IND).",
        "kind": ServiceKind.GOVERNMENT,
        "category": ServiceCategory.WORK_PERMIT,
        "duration_minutes": 10,
        "sort_order": 31,
        "queue_prefix": "C",
        "translations": {
            "nl": {
                "name": "Doorverwijzing werkvergunning (TWV/GVVA)",
                "description": "Doorverwijzing voor de tewerkstellingsvergunning (TWV via UWV of GVVA via IND).",
            },
            "pl": {
                "name": "Skierowanie: zezwolenie na pracę",
                "description": "Skierowanie w sprawie zezwolenia na pracę (TWV przez UWV lub GVVA przez IND).",
            },
            "ro": {
                "name": "Trimitere: permis de muncă",
                "description": "Trimitere pentru permisul de muncă (TWV prin UWV sau GVVA prin IND).",
            },
            "bg": {
                "name": "Насочване: разрешение за работа",
                "description": "Насочване за разрешение за работа (TWV чрез UWV или GVVA чрез IND).",
            },
            "hu": {
                "name": "Munkavállalási engedély",
                "description": "Továbbítás munkavállalási engedélyhez (TWV az UWV-n, GVVA az IND-n keresztül).",
            },
        },
    },
    {
        "code": "toeslagen",
        "name": "Allowance help",
        "description": "Help with applying for allowances (zorgtoeslag) on a low income.",
        "kind": ServiceKind.GOVERNMENT,
        "category": ServiceCategory.ALLOWANCE,
        "duration_minutes": 10,
        "sort_order": 32,
        "queue_prefix": "B",
        "translations": {
            "nl": {
                "name": "Hulp bij toeslagen",
                "description": "Hulp bij het aanvragen van toeslagen (zorgtoeslag) bij een laag inkomen.",
            },
            "pl": {
                "name": "Pomoc w sprawie dodatków",
                "description": "Pomoc we wniosku o dodatki (zorgtoeslag) przy niskich dochodach.",
            },
            "ro": {
                "name": "Ajutor pentru alocații",
                "description": "Ajutor la solicitarea alocațiilor (zorgtoeslag) pentru venit mic.",
            },
            "bg": {
                "name": "Помощ за помощи",
                "description": "Помощ при кандидатстване за помощи (zorgtoeslag) при нисък доход.",
            },
            "hu": {
                "name": "Segítség a támogatásokhoz",
                "description": "Segítség támogatás (zorgtoeslag) igényléséhez alacsony jövedelem esetén.",
            },
        },
    },
    {
        "code": "welcome",
        "name": "Welcome support in own language",
        "description": "A welcome host who speaks your language guides you through the visit.",
        "kind": ServiceKind.EXTRA,
        "category": ServiceCategory.EXTRA,
        "duration_minutes": 10,
        "sort_order": 40,
        "queue_prefix": "D",
        "translations": {
            "nl": {
                "name": "Welkomstbegeleiding in eigen taal",
                "description": "Een welkomstmedewerker die uw taal spreekt begeleidt u tijdens het bezoek.",
            },
            "pl": {
                "name": "Powitanie w twoim języku",
                "description": "Opiekun mówiący w twoim języku prowadzi cię przez wizytę.",
            },
            "ro": {
                "name": "Primire în limba proprie",
                "description": "O persoană care vorbește limba dvs. vă însoțește pe durata vizitei.",
            },
            "bg": {
                "name": "Посрещане на вашия език",
                "description": "Служител, който говори вашия език, ви води през посещението.",
            },
            "hu": {
                "name": "Fogadás a saját nyelvén",
                "description": "Az Ön nyelvén beszélő munkatárs kíséri végig a látogatáson.",
            },
        },
    },
    {
        "code": "formhelp",
        "name": "Help with forms",
        "description": "Help with filling in forms (insurance, bank, employer).",
        "kind": ServiceKind.EXTRA,
        "category": ServiceCategory.EXTRA,
        "duration_minutes": 15,
        "sort_order": 41,
        "queue_prefix": "D",
        "translations": {
            "nl": {
                "name": "Hulp bij formulieren",
                "description": "Hulp bij het invullen van formulieren (verzekering, bank, werkgever).",
            },
            "pl": {
                "name": "Pomoc przy formularzach",
                "description": "Pomoc w wypełnianiu formularzy (ubezpieczenie, bank, pracodawca).",
            },
            "ro": {
                "name": "Ajutor cu formulare",
                "description": "Ajutor la completarea formularelor (asigurare, bancă, angajator).",
            },
            "bg": {
                "name": "Помощ с формуляри",
                "description": "Помощ при попълване на формуляри (застраховка, банка, работодател).",
            },
            "hu": {
                "name": "Segítség űrlapokhoz",
                "description": "Segítség űrlapok kitöltéséhez (biztosítás, bank, munkáltató).",
            },
        },
    },
]


@transaction.atomic
def service_catalog_ensure() -> dict[str, ServiceType]:
    """Create the default services that are missing (idempotent; edits are kept)."""
    services = {}
    for spec in DEFAULT_SERVICES:
        code = spec["code"]
        defaults = {k: v for k, v in spec.items() if k != "code"}
        services[code], _ = ServiceType.objects.get_or_create(code=code, defaults=defaults)
    return services
