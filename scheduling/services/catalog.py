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
            "lt": {
                "name": "BRP registracija",
                "description": "Registracija Asmenų duomenų bazėje (BRP) (buvimas 4 mėnesius ar ilgiau); gausite BSN.",
            },
            "lv": {
                "name": "BRP reģistrācija",
                "description": "Reģistrācija Personu datu reģistrā (BRP) (uzturēšanās 4 mēnešus vai ilgāk); jūs saņemat BSN.",
            },
            "sk": {
                "name": "Registrácia BRP",
                "description": "Registrácia v registri obyvateľov BRP (pobyt 4 mesiace alebo dlhšie); dostanete BSN.",
            },
            "pt": {
                "name": "Registo no BRP",
                "description": "Registo no Registo de Dados Pessoais (BRP) (estadia de 4 meses ou mais); recebe um BSN.",
            },
            "es": {
                "name": "Inscripción en el BRP",
                "description": "Inscripción en el Registro de Datos Personales (BRP) (estancia de 4 meses o más); recibe un BSN.",
            },
            "uk": {
                "name": "Реєстрація в BRP",
                "description": "Реєстрація в базі персональних даних BRP (перебування 4 місяці або довше); ви отримаєте BSN.",
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
            "lt": {
                "name": "RNI registracija",
                "description": "Registracija kaip nerezidento (buvimas trumpiau nei 4 mėnesius); gausite BSN.",
            },
            "lv": {
                "name": "RNI reģistrācija",
                "description": "Reģistrācija kā nerezidentam (uzturēšanās īsāka par 4 mēnešiem); jūs saņemat BSN.",
            },
            "sk": {
                "name": "Registrácia RNI",
                "description": "Registrácia ako nerezident (pobyt kratší ako 4 mesiace); dostanete BSN.",
            },
            "pt": {
                "name": "Registo no RNI",
                "description": "Registo como não residente (estadia inferior a 4 meses); recebe um BSN.",
            },
            "es": {
                "name": "Inscripción en el RNI",
                "description": "Inscripción como no residente (estancia inferior a 4 meses); recibe un BSN.",
            },
            "uk": {
                "name": "Реєстрація в RNI",
                "description": "Реєстрація як нерезидента (перебування менше 4 місяців); ви отримаєте BSN.",
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
            "lt": {
                "name": "Sveikatos draudimas",
                "description": "Prisiregistravimas privalomajam Nyderlandų sveikatos draudimui.",
            },
            "lv": {
                "name": "Veselības apdrošināšana",
                "description": "Pieteikšanās obligātajai Nīderlandes veselības apdrošināšanai.",
            },
            "sk": {
                "name": "Zdravotné poistenie",
                "description": "Prihlásenie do povinného holandského zdravotného poistenia.",
            },
            "pt": {
                "name": "Seguro de saúde",
                "description": "Inscrição no seguro de saúde neerlandês obrigatório.",
            },
            "es": {
                "name": "Seguro médico",
                "description": "Alta en el seguro médico neerlandés obligatorio.",
            },
            "uk": {
                "name": "Медичне страхування",
                "description": "Оформлення обов’язкового нідерландського медичного страхування.",
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
            "lt": {
                "name": "Nukreipimas į IND",
                "description": "Patarimas ir dokumentų sąrašas leidimui gyventi IND.",
            },
            "lv": {
                "name": "Nosūtījums uz IND",
                "description": "Padoms un dokumentu saraksts uzturēšanās atļaujai IND.",
            },
            "sk": {
                "name": "Odporúčanie na IND",
                "description": "Poradenstvo a zoznam dokladov k povoleniu na pobyt na IND.",
            },
            "pt": {
                "name": "Encaminhamento para o IND",
                "description": "Aconselhamento e lista de documentos para a sua autorização de residência no IND.",
            },
            "es": {
                "name": "Derivación al IND",
                "description": "Asesoramiento y lista de documentos para su permiso de residencia en el IND.",
            },
            "uk": {
                "name": "Направлення до IND",
                "description": "Консультація та перелік документів для дозволу на проживання в IND.",
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
            "lt": {
                "name": "Nukreipimas: leidimas dirbti (TWV/GVVA)",
                "description": "Nukreipimas dėl leidimo dirbti (TWV per UWV arba GVVA per IND).",
            },
            "lv": {
                "name": "Nosūtījums: darba atļauja (TWV/GVVA)",
                "description": "Nosūtījums darba atļaujas saņemšanai (TWV caur UWV vai GVVA caur IND).",
            },
            "sk": {
                "name": "Odporúčanie: pracovné povolenie (TWV/GVVA)",
                "description": "Odporúčanie k pracovnému povoleniu (TWV cez UWV alebo GVVA cez IND).",
            },
            "pt": {
                "name": "Encaminhamento: autorização de trabalho (TWV/GVVA)",
                "description": "Encaminhamento para a autorização de trabalho (TWV através do UWV ou GVVA através do IND).",
            },
            "es": {
                "name": "Derivación: permiso de trabajo (TWV/GVVA)",
                "description": "Derivación para el permiso de trabajo (TWV a través del UWV o GVVA a través del IND).",
            },
            "uk": {
                "name": "Направлення: дозвіл на роботу (TWV/GVVA)",
                "description": "Направлення щодо дозволу на роботу (TWV через UWV або GVVA через IND).",
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
            "lt": {
                "name": "Pagalba dėl pašalpų",
                "description": "Pagalba teikiant prašymą dėl pašalpų (zorgtoeslag), kai pajamos mažos.",
            },
            "lv": {
                "name": "Palīdzība ar pabalstiem",
                "description": "Palīdzība pabalstu (zorgtoeslag) pieprasīšanā ar zemiem ienākumiem.",
            },
            "sk": {
                "name": "Pomoc s príspevkami",
                "description": "Pomoc pri žiadosti o príspevky (zorgtoeslag) pri nízkom príjme.",
            },
            "pt": {
                "name": "Ajuda com subsídios",
                "description": "Ajuda no pedido de subsídios (zorgtoeslag) com rendimentos baixos.",
            },
            "es": {
                "name": "Ayuda con subsidios",
                "description": "Ayuda para solicitar subsidios (zorgtoeslag) con ingresos bajos.",
            },
            "uk": {
                "name": "Допомога з виплатами",
                "description": "Допомога в оформленні виплат (zorgtoeslag) при низькому доході.",
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
            "lt": {
                "name": "Pasitikimas jūsų kalba",
                "description": "Jūsų kalba kalbantis darbuotojas lydės jus viso apsilankymo metu.",
            },
            "lv": {
                "name": "Sagaidīšana jūsu valodā",
                "description": "Darbinieks, kurš runā jūsu valodā, jūs pavadīs visa apmeklējuma laikā.",
            },
            "sk": {
                "name": "Privítanie vo vašom jazyku",
                "description": "Pracovník, ktorý hovorí vaším jazykom, vás sprevádza počas návštevy.",
            },
            "pt": {
                "name": "Acolhimento na sua língua",
                "description": "Um acompanhante que fala a sua língua guia-o durante a visita.",
            },
            "es": {
                "name": "Acogida en su idioma",
                "description": "Un acompañante que habla su idioma le guía durante la visita.",
            },
            "uk": {
                "name": "Супровід вашою мовою",
                "description": "Працівник, який говорить вашою мовою, супроводжує вас під час візиту.",
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
            "lt": {
                "name": "Pagalba pildant formas",
                "description": "Pagalba pildant formas (draudimas, bankas, darbdavys).",
            },
            "lv": {
                "name": "Palīdzība ar veidlapām",
                "description": "Palīdzība veidlapu aizpildīšanā (apdrošināšana, banka, darba devējs).",
            },
            "sk": {
                "name": "Pomoc s formulármi",
                "description": "Pomoc pri vypĺňaní formulárov (poistenie, banka, zamestnávateľ).",
            },
            "pt": {
                "name": "Ajuda com formulários",
                "description": "Ajuda no preenchimento de formulários (seguro, banco, empregador).",
            },
            "es": {
                "name": "Ayuda con formularios",
                "description": "Ayuda para rellenar formularios (seguro, banco, empleador).",
            },
            "uk": {
                "name": "Допомога з формулярами",
                "description": "Допомога в заповненні формулярів (страхування, банк, роботодавець).",
            },
        },
    },
]


@transaction.atomic
def service_catalog_ensure() -> dict[str, ServiceType]:
    """Create the default services that are missing (idempotent; edits are kept). A service
    that exists gets the default translations of the languages it has none for (so a new
    client language reaches running systems with ``load_reference``); a language a
    coordinator translated is left as it is."""
    services = {}
    for spec in DEFAULT_SERVICES:
        code = spec["code"]
        defaults = {k: v for k, v in spec.items() if k != "code"}
        service, created = ServiceType.objects.get_or_create(code=code, defaults=defaults)
        if not created:
            missing = {
                lang: entry
                for lang, entry in spec["translations"].items()
                if lang not in (service.translations or {})
            }
            if missing:
                service.translations = {**(service.translations or {}), **missing}
                service.save(update_fields=["translations"])
        services[code] = service
    return services
