"""Bulk-insert volunteer missions for the public mission search benchmark.

    manage.py seed_scale                       # first: 1,000 bench-* associations, 1,000,000 people
    manage.py seed_missions --missions 100000  # then: missions spread over those associations

Missions go to the associations whose slug starts with ``--slug-prefix`` (``bench-``,
seed_scale's associations), with a skewed (log-normal) number per association; the
volunteering module is switched on for them. Titles and descriptions are French,
generated from activity families (aide aux devoirs, maraude, collecte alimentaire,
jardin partagé...) so that full-text queries have a realistic selectivity: words of
one family appear in a few percent of the missions, generic words ("bénévole",
"association") in most. Each mission has 1 to 4 skills, a cause, a place and its
department, a schedule; about 15 % can be done remotely and 85 % are published and
public (the rest: drafts, full, closed or members only).

This bypasses the services on purpose (speed): rows are written by the demo's bulk
loader (``maillon/demo/bulk.py``: PostgreSQL's COPY, or ``bulk_create`` elsewhere,
meant for small numbers, e.g. tests on SQLite), in one transaction. The
derived ``search_text`` is filled here, ``search_vector`` by the search module's
``update_search_vectors()``; then the tables are analysed. A second run refuses
unless ``--reset`` (delete the missions of those associations first) or
``--skip-existing`` (exit quietly) is given.
"""

from __future__ import annotations

import datetime
import random
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.associations.models import Association, Module
from maillon.core.text import fold
from maillon.demo.bulk import BulkLoader, Stopwatch, add_method_argument, analyze
from maillon.taxonomy.geo import department_code_for_postal_code
from maillon.taxonomy.models import Cause, Department, Skill
from maillon.volunteering.missions.search import update_search_vectors
from maillon.volunteering.models import (
    Audience,
    Mission,
    MissionStatus,
    ScheduleKind,
    TimeSlot,
)

CHUNK_MISSIONS = 20_000  # missions generated and written per round
BULK_BATCH_SIZE = 2_000
DELETE_BATCH_SIZE = 5_000

# Activity families: (cause code, skill codes, title stems, task sentences). A mission
# takes one family; 10 % get another cause, and one or two skills are drawn at random.
FAMILIES = (
    ("children-youth", ("tutoring",), (
        "Aide aux devoirs", "Aide aux devoirs pour collégiens", "Accompagnement scolaire",
        "Soutien scolaire en mathématiques", "Soutien en français pour lycéens",
    ), (
        "Vous aidez des élèves du primaire et du collège à faire leurs devoirs.",
        "Vous accompagnez un petit groupe d'enfants dans leurs leçons et leurs exercices.",
        "Vous redonnez confiance à des jeunes en difficulté scolaire.",
    )),
    ("education", ("tutoring", "writing"), (
        "Atelier lecture et écriture", "Lutte contre l'illettrisme", "Club de lecture",
        "Ateliers d'alphabétisation",
    ), (
        "Vous animez des ateliers de lecture pour adultes qui réapprennent à lire et à écrire.",
        "Vous préparez des exercices adaptés au niveau de chaque participant.",
    )),
    ("solidarity", ("welcome", "support-people"), (
        "Maraude du soir", "Maraude auprès des personnes sans abri", "Maraude sociale",
        "Accueil de jour", "Permanence d'écoute",
    ), (
        "Vous partez en équipe à la rencontre des personnes à la rue pour leur apporter "
        "une boisson chaude, un repas et un moment d'échange.",
        "Vous accueillez les personnes, servez le café et orientez vers les services sociaux.",
        "Vous écoutez sans juger et créez du lien avec des personnes isolées.",
    )),
    ("food-aid", ("logistics", "welcome"), (
        "Collecte alimentaire", "Collecte nationale de la banque alimentaire",
        "Tri des denrées", "Distribution de colis alimentaires", "Épicerie solidaire",
    ), (
        "Vous accueillez les clients du magasin, présentez la collecte et recueillez les dons.",
        "Vous triez les denrées collectées, vérifiez les dates et préparez les colis.",
        "Vous tenez la caisse de l'épicerie solidaire et conseillez les bénéficiaires.",
    )),
    ("food-aid", ("cooking", "welcome"), (
        "Préparation de repas solidaires", "Cuisine pour le restaurant solidaire",
        "Service des repas du midi", "Anti-gaspillage : ramasse des invendus",
    ), (
        "Vous cuisinez avec l'équipe des repas chauds pour une cinquantaine de convives.",
        "Vous récupérez les invendus des commerçants du quartier et les redistribuez.",
    )),
    ("environment", ("gardening",), (
        "Jardin partagé", "Entretien du jardin partagé", "Potager collectif",
        "Plantation d'arbres", "Compostage collectif",
    ), (
        "Vous entretenez les parcelles du jardin partagé : semis, arrosage, désherbage.",
        "Vous animez le compost du quartier et expliquez le tri des biodéchets.",
        "Vous participez à la plantation d'une haie et de fruitiers avec les habitants.",
    )),
    ("environment", ("logistics", "activities"), (
        "Nettoyage des berges", "Ramassage de déchets en forêt", "Opération plage propre",
        "Sensibilisation au tri des déchets",
    ), (
        "Vous ramassez et triez les déchets abandonnés le long de la rivière.",
        "Vous sensibilisez les promeneurs à la protection de la nature.",
    )),
    ("environment", ("diy",), (
        "Repair café", "Atelier de réparation de vélos", "Recyclerie : réparation d'objets",
    ), (
        "Vous aidez les visiteurs à réparer eux-mêmes leurs appareils et leurs vélos.",
        "Vous remettez en état des meubles et des objets donnés à la recyclerie.",
    )),
    ("elderly", ("support-people",), (
        "Visites de convivialité", "Visites aux personnes âgées isolées",
        "Lecture en EHPAD", "Appels de convivialité", "Courses pour des aînés",
    ), (
        "Vous rendez visite chaque semaine à une personne âgée isolée pour discuter, jouer ou "
        "se promener.",
        "Vous lisez le journal et des romans aux résidents de la maison de retraite.",
        "Vous téléphonez à des aînés seuls pour prendre de leurs nouvelles.",
    )),
    ("animals", ("support-people", "logistics"), (
        "Promenade des chiens du refuge", "Soins aux chats du refuge",
        "Famille d'accueil pour chatons", "Entretien des enclos",
    ), (
        "Vous promenez les chiens du refuge et participez à leur socialisation.",
        "Vous nourrissez les animaux, nettoyez les box et aidez aux adoptions.",
    )),
    ("culture", ("event-organisation", "welcome"), (
        "Accueil du public au festival", "Billetterie du festival", "Bénévole au festival",
        "Montage et démontage de la scène", "Accueil des artistes",
    ), (
        "Vous accueillez les festivaliers, contrôlez les billets et renseignez le public.",
        "Vous participez au montage des scènes et des stands avant le festival.",
    )),
    ("culture", ("music-arts", "activities"), (
        "Animation d'ateliers de théâtre", "Chorale : accompagnement au piano",
        "Atelier de peinture", "Visites guidées du patrimoine", "Restauration d'un château",
    ), (
        "Vous animez un atelier de théâtre pour enfants le mercredi après-midi.",
        "Vous guidez les visiteurs et racontez l'histoire du patrimoine local.",
        "Vous participez au chantier de restauration : taille de pierre, maçonnerie, "
        "débroussaillage.",
    )),
    ("sport", ("sport-coaching",), (
        "Entraîneur de l'école de football", "Encadrement de l'école de rugby",
        "Arbitrage de matchs de basket", "Animateur de randonnée", "Sport santé pour seniors",
    ), (
        "Vous encadrez les entraînements des moins de 11 ans le mercredi et le samedi.",
        "Vous arbitrez les rencontres du championnat départemental.",
        "Vous organisez et accompagnez des randonnées pour tous les niveaux.",
    )),
    ("refugees", ("translation", "tutoring"), (
        "Cours de français langue étrangère", "Ateliers de conversation en français",
        "Accompagnement de personnes exilées", "Parrainage de réfugiés",
    ), (
        "Vous donnez des cours de français à des adultes exilés, débutants ou intermédiaires.",
        "Vous accompagnez des familles réfugiées dans leurs démarches et leur installation.",
    )),
    ("rights", ("legal", "welcome"), (
        "Permanence d'accès aux droits", "Aide aux démarches administratives",
        "Conseil juridique gratuit", "Aide à la déclaration d'impôts",
    ), (
        "Vous aidez les personnes à remplir leurs dossiers : CAF, logement, retraite.",
        "Vous tenez une permanence juridique et orientez vers les bons interlocuteurs.",
    )),
    ("digital-inclusion", ("it-support",), (
        "Atelier numérique pour débutants", "Aide aux démarches en ligne",
        "Initiation à l'informatique", "Reconditionnement d'ordinateurs",
    ), (
        "Vous accompagnez des personnes éloignées du numérique : courriel, smartphone, "
        "démarches en ligne.",
        "Vous reconditionnez des ordinateurs donnés pour des familles qui n'en ont pas.",
    )),
    ("employment", ("hr", "support-people"), (
        "Ateliers CV et lettre de motivation", "Parrainage de demandeurs d'emploi",
        "Simulations d'entretien d'embauche", "Accompagnement vers l'emploi",
    ), (
        "Vous aidez des demandeurs d'emploi à préparer leur CV et leurs entretiens.",
        "Vous parrainez un jeune pendant six mois dans sa recherche d'emploi.",
    )),
    ("housing", ("diy", "support-people"), (
        "Chantier de rénovation de logements", "Aide au déménagement de familles",
        "Accompagnement vers le logement",
    ), (
        "Vous participez à la rénovation de logements pour des familles modestes : peinture, "
        "électricité, plomberie.",
        "Vous aidez des familles relogées à déménager et à s'installer.",
    )),
    ("disability", ("support-people", "driving"), (
        "Accompagnement de sorties", "Handisport : aide aux entraînements",
        "Transport de personnes à mobilité réduite", "Vacances adaptées",
    ), (
        "Vous accompagnez des personnes en situation de handicap lors de sorties culturelles.",
        "Vous conduisez le minibus adapté pour les trajets vers les activités.",
    )),
    ("health", ("health", "welcome"), (
        "Collecte de sang : accueil des donneurs", "Prévention santé", "Visites à l'hôpital",
        "Accompagnement en soins palliatifs",
    ), (
        "Vous accueillez les donneurs et servez la collation après le don de sang.",
        "Vous animez des actions de prévention et de dépistage auprès du public.",
    )),
    ("emergency", ("first-aid",), (
        "Secouriste sur les événements", "Poste de secours", "Formation aux premiers secours",
    ), (
        "Vous tenez un poste de secours lors des manifestations sportives et culturelles.",
        "Vous formez le grand public aux gestes qui sauvent.",
    )),
    ("international", ("translation", "project-management"), (
        "Traduction de documents", "Solidarité internationale : suivi de projets",
        "Parrainage d'écoliers à l'étranger",
    ), (
        "Vous traduisez en anglais et en espagnol les rapports envoyés à nos partenaires.",
        "Vous suivez à distance un projet d'accès à l'eau potable avec nos partenaires.",
    )),
    ("solidarity", ("communication", "social-media", "graphic-design"), (
        "Communication et réseaux sociaux", "Création d'affiches", "Rédaction de la lettre",
        "Photographe bénévole",
    ), (
        "Vous animez nos comptes sur les réseaux sociaux et rédigez les publications.",
        "Vous concevez les affiches et les flyers de nos événements.",
    )),
    ("solidarity", ("accounting", "fundraising", "data"), (
        "Trésorier adjoint", "Aide à la comptabilité", "Recherche de financements",
        "Gestion de la base de données des adhérents",
    ), (
        "Vous aidez le trésorier à saisir les dépenses et à préparer le bilan annuel.",
        "Vous recherchez des subventions et rédigez les dossiers de demande.",
    )),
    ("solidarity", ("web", "it-support"), (
        "Refonte du site web", "Maintenance du site internet", "Administrateur informatique",
    ), (
        "Vous mettez à jour le site web de l'association et améliorez son accessibilité.",
    )),
)  # fmt: skip
TITLE_SUFFIXES = (
    "", "", "", "", "", " le samedi matin", " le mercredi", " en soirée",
    " pendant les vacances", " à {city}", " à {city}", " (H/F)", " – urgent",
    " pour l'été", " le week-end",
)  # fmt: skip
INTROS = (
    "Notre association recherche des bénévoles : {activity}.",
    "Rejoignez notre équipe de bénévoles ({activity}).",
    "Mission de bénévolat à {city} : {activity}.",
    "Envie d'agir près de chez vous ? Rejoignez-nous : {activity}.",
    "L'association renforce son équipe de bénévoles à {city}.",
)
PROFILES = (
    "Aucune compétence particulière n'est demandée : une formation est prévue.",
    "Vous êtes ponctuel, souriant et aimez le travail en équipe.",
    "Le permis B est un plus.",
    "Une première expérience auprès du public est appréciée.",
    "Patience, écoute et bienveillance sont vos qualités.",
    "Ouvert à tous à partir de 16 ans, les mineurs avec une autorisation parentale.",
    "Débutants bienvenus, vous serez accompagné par un bénévole expérimenté.",
)
PLACES = (
    "La mission se déroule dans nos locaux.", "La mission se déroule au centre social.",
    "La mission se déroule à la médiathèque.", "La mission se déroule en plein air.",
    "La mission se déroule dans une école du quartier.", "La mission a lieu à domicile.",
    "Les locaux sont accessibles aux personnes à mobilité réduite.",
)  # fmt: skip
REMOTE_PLACE = "La mission peut se faire à distance, depuis chez vous."
SCHEDULE_NOTES = {
    ScheduleKind.ONE_OFF: ("Le jour même, de 9 h à 17 h.", "Une demi-journée.", "En soirée."),
    ScheduleKind.RECURRING: (
        "Chaque samedi matin, de 9 h à 12 h.", "Le mercredi après-midi.",
        "Deux soirs par semaine.", "Un week-end par mois.", "Le mardi et le jeudi, 17 h – 19 h.",
    ),
    ScheduleKind.FLEXIBLE: ("Selon vos disponibilités.", "Horaires à convenir ensemble.", ""),
}  # fmt: skip
COMMITMENTS = (
    "", "2 heures par semaine", "3 heures par semaine pendant l'année scolaire",
    "Une demi-journée par mois", "Quelques heures par mois", "Une journée",
)  # fmt: skip
CLOSINGS = (
    "Un remboursement des frais est possible.",
    "Vous rejoignez une équipe chaleureuse de bénévoles.",
    "Un temps d'accueil est organisé pour chaque nouveau bénévole.",
    "",
    "",
)
# Places beyond the associations' own cities (postal code, city, weight): prefectures
# and large towns, weighted roughly by population, so that every department has some
# missions and a department filter has a realistic selectivity.
TOWNS = (
    ("75011", "Paris", 40), ("13001", "Marseille", 15), ("69001", "Lyon", 12),
    ("31000", "Toulouse", 9), ("06000", "Nice", 7), ("44000", "Nantes", 7),
    ("34000", "Montpellier", 6), ("67000", "Strasbourg", 6), ("33000", "Bordeaux", 6),
    ("59000", "Lille", 8), ("35000", "Rennes", 5), ("51100", "Reims", 3), ("83000", "Toulon", 3),
    ("42000", "Saint-Étienne", 3), ("76600", "Le Havre", 3), ("38000", "Grenoble", 3),
    ("21000", "Dijon", 3), ("49000", "Angers", 3), ("30000", "Nîmes", 3),
    ("63000", "Clermont-Ferrand", 3), ("72000", "Le Mans", 3), ("29200", "Brest", 3),
    ("37000", "Tours", 3), ("80000", "Amiens", 2), ("87000", "Limoges", 2),
    ("25000", "Besançon", 2), ("66000", "Perpignan", 2), ("57000", "Metz", 2),
    ("45000", "Orléans", 2), ("76000", "Rouen", 2), ("14000", "Caen", 2), ("54000", "Nancy", 2),
    ("93200", "Saint-Denis", 4), ("92100", "Boulogne-Billancourt", 3),
    ("94000", "Créteil", 3), ("95000", "Cergy", 3), ("91000", "Évry-Courcouronnes", 3),
    ("78000", "Versailles", 3), ("77000", "Melun", 3), ("68100", "Mulhouse", 2),
    ("64000", "Pau", 2), ("17000", "La Rochelle", 2), ("86000", "Poitiers", 2),
    ("84000", "Avignon", 2), ("62000", "Arras", 2), ("01000", "Bourg-en-Bresse", 1),
    ("02000", "Laon", 1), ("03000", "Moulins", 1), ("04000", "Digne-les-Bains", 1),
    ("05000", "Gap", 1), ("07000", "Privas", 1), ("08000", "Charleville-Mézières", 1),
    ("09000", "Foix", 1), ("10000", "Troyes", 1), ("11000", "Carcassonne", 1),
    ("12000", "Rodez", 1), ("15000", "Aurillac", 1), ("16000", "Angoulême", 1),
    ("18000", "Bourges", 1), ("19000", "Tulle", 1), ("20000", "Ajaccio", 1),
    ("20200", "Bastia", 1), ("22000", "Saint-Brieuc", 1), ("23000", "Guéret", 1),
    ("24000", "Périgueux", 1), ("26000", "Valence", 1), ("27000", "Évreux", 1),
    ("28000", "Chartres", 1), ("29000", "Quimper", 1), ("32000", "Auch", 1),
    ("36000", "Châteauroux", 1), ("39000", "Lons-le-Saunier", 1), ("40000", "Mont-de-Marsan", 1),
    ("41000", "Blois", 1), ("43000", "Le Puy-en-Velay", 1), ("46000", "Cahors", 1),
    ("47000", "Agen", 1), ("48000", "Mende", 1), ("50000", "Saint-Lô", 1),
    ("52000", "Chaumont", 1), ("53000", "Laval", 1), ("55000", "Bar-le-Duc", 1),
    ("56000", "Vannes", 1), ("58000", "Nevers", 1), ("60000", "Beauvais", 1),
    ("61000", "Alençon", 1), ("65000", "Tarbes", 1), ("70000", "Vesoul", 1),
    ("71000", "Mâcon", 1), ("73000", "Chambéry", 1), ("74000", "Annecy", 2),
    ("79000", "Niort", 1), ("81000", "Albi", 1), ("82000", "Montauban", 1),
    ("85000", "La Roche-sur-Yon", 1), ("88000", "Épinal", 1), ("89000", "Auxerre", 1),
    ("90000", "Belfort", 1), ("97110", "Pointe-à-Pitre", 1), ("97200", "Fort-de-France", 1),
    ("97300", "Cayenne", 1), ("97400", "Saint-Denis", 2), ("97600", "Mamoudzou", 1),
)  # fmt: skip
TIME_SLOTS = tuple(s.value for s in TimeSlot)
# Plain strings (not enum members): COPY writes them as they are.
PUBLISHED, DRAFT, FULL, CLOSED = (
    s.value
    for s in (
        MissionStatus.PUBLISHED,
        MissionStatus.DRAFT,
        MissionStatus.FULL,
        MissionStatus.CLOSED,
    )
)
PUBLIC, MEMBERS = Audience.PUBLIC.value, Audience.MEMBERS.value
ONE_OFF, RECURRING, FLEXIBLE = (
    ScheduleKind.ONE_OFF.value,
    ScheduleKind.RECURRING.value,
    ScheduleKind.FLEXIBLE.value,
)

MISSION_COLUMNS = (
    "association_id", "title", "description", "cause_id", "is_remote", "postal_code",
    "city", "department_id", "schedule_kind", "start_date", "end_date", "schedule_note",
    "time_slots", "time_commitment", "hours_per_week", "volunteers_wanted", "minimum_age",
    "audience", "status", "published_at", "contact_id", "created_by_id", "search_text",
    "created_at", "updated_at",
)  # fmt: skip


class Command(BaseCommand):
    help = "Bulk-insert volunteer missions for the mission search benchmark."

    def add_arguments(self, parser):
        parser.add_argument("--missions", type=int, default=100_000)
        parser.add_argument(
            "--slug-prefix",
            default="bench-",
            help="spread the missions over the associations whose slug starts with this",
        )
        add_method_argument(parser)
        parser.add_argument("--seed", type=int, default=2026, help="random seed")
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--reset", action="store_true", help="delete those associations' missions first"
        )
        group.add_argument(
            "--skip-existing",
            action="store_true",
            help="exit without changes when those associations already have missions",
        )

    def handle(self, *args, **options):
        count = options["missions"]
        if count < 1:
            raise CommandError("Give a positive number of missions.")
        self.loader = BulkLoader(options["method"], batch_size=BULK_BATCH_SIZE)
        self.loader.check_columns(Mission, MISSION_COLUMNS, by="seed_missions")
        if not Skill.objects.exists() or not Cause.objects.exists():
            raise CommandError("Reference data is missing: run `manage.py migrate` first.")
        associations, existing = self.bench_associations(options["slug_prefix"])
        if existing and options["skip_existing"]:
            self.stdout.write(f"{existing} missions already present: nothing to do.")
            return
        if existing and not options["reset"]:
            raise CommandError(
                f"Those associations already have {existing} missions. "
                "Use --reset to replace them or --skip-existing to keep them."
            )

        self.stopwatch = Stopwatch(self.stdout)
        self.rng = random.Random(options["seed"])  # noqa: S311 - reproducible data
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.prepare_reference_data()
        with scopes_disabled(), transaction.atomic():
            if existing:
                self.delete_missions([pk for pk, *_ in associations])
                self.stopwatch.lap(f"deleted {existing} previous missions")
            self.switch_module_on(associations)
            inserting = time.monotonic()
            counts = self.create_missions(associations, count)
            inserted = time.monotonic()
            vectors_updated = self.fill_search_vectors()
            vectors = time.monotonic()
            self.stopwatch.lap(f"{vectors_updated:,} search vectors (update_search_vectors)")
        self.analyze()
        done = time.monotonic()
        self.stopwatch.lap("planner statistics updated")
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded with {self.loader.method} in {done - self.stopwatch.started:.1f} s "
                f"(insert {inserted - inserting:.1f} s, search vectors {vectors - inserted:.1f} s, "
                f"analyze {done - vectors:.1f} s): {counts['missions']} missions "
                f"({counts['public']} published and public, {counts['remote']} remote) over "
                f"{len(associations)} associations, {counts['skills']} mission skills."
            )
        )

    # --- helpers ----------------------------------------------------------------------------

    def bench_associations(self, slug_prefix: str) -> tuple[list[tuple], int]:
        """(id, postal code, city, modules) of the associations whose slug starts with
        ``slug_prefix``, and how many missions they already have."""
        with scopes_disabled():
            associations = list(
                Association.objects.filter(slug__startswith=slug_prefix)
                .order_by("pk")
                .values_list("pk", "postal_code", "city", "enabled_modules")
            )
            if not associations:
                raise CommandError(
                    f"No association's slug starts with {slug_prefix!r}: "
                    "run `manage.py seed_scale` first or give --slug-prefix."
                )
            association_ids = [pk for pk, *_ in associations]
            existing = Mission.objects.filter(association_id__in=association_ids).count()
        return associations, existing

    def check_search_text(self, values: dict, skills: list[int]) -> None:
        """The derived column must be what the services' refresh gives."""
        mission = Mission(**values)
        mission.refresh_search_text(
            skill_labels=[label for s in skills for label in self.skill_labels[s]],
            cause_label=self.cause_labels.get(values["cause_id"], ""),
        )
        if mission.search_text != values["search_text"]:
            raise CommandError("seed_missions' search_text differs from refresh_search_text()")

    def prepare_reference_data(self) -> None:
        skills = {s.code: s for s in Skill.objects.all()}
        causes = {c.code: c for c in Cause.objects.all()}
        self.skill_ids = [s.pk for s in skills.values()]
        self.cause_ids = [c.pk for c in causes.values()]
        # What mission_services gives Mission.refresh_search_text(): both languages.
        self.skill_labels = {s.pk: (s.label_fr, s.label_en) for s in skills.values()}
        self.cause_labels = {c.pk: f"{c.label_fr} {c.label_en}" for c in causes.values()}
        # Families whose codes are not in the reference lists fall back to random ones.
        self.families = [
            (
                causes[cause].pk if cause in causes else None,
                [skills[code].pk for code in skill_codes if code in skills],
                titles,
                tasks,
            )
            for cause, skill_codes, titles, tasks in FAMILIES
        ]
        departments = dict(Department.objects.values_list("code", "pk"))
        self.department_of = {}
        for postal_code, _, _ in TOWNS:
            self.department_of[postal_code] = departments.get(
                department_code_for_postal_code(postal_code)
            )
        self.departments = departments
        self.towns = [(postal_code, city) for postal_code, city, _ in TOWNS]
        self.town_weights = [weight for _, _, weight in TOWNS]

    def switch_module_on(self, associations) -> None:
        module = Module.VOLUNTEERING.value
        changed = [
            Association(pk=pk, enabled_modules=[*(modules or []), module])
            for pk, _, _, modules in associations
            if module not in (modules or [])
        ]
        Association.objects.bulk_update(changed, ["enabled_modules"], batch_size=BULK_BATCH_SIZE)

    def split_counts(self, total: int, count: int) -> list[int]:
        """``count`` numbers adding up to ``total``, log-normal: most associations have a
        few missions, some have hundreds."""
        weights = [self.rng.lognormvariate(0, 1.0) for _ in range(count)]
        scale = total / sum(weights)
        sizes = [int(w * scale) for w in weights]
        sizes[weights.index(max(weights))] += total - sum(sizes)
        return sizes

    # --- missions ---------------------------------------------------------------------------

    def create_missions(self, associations, total: int) -> dict[str, int]:
        counts = {"missions": 0, "public": 0, "remote": 0, "skills": 0}
        chunk: list[tuple[dict, list[int]]] = []
        sizes = self.split_counts(total, len(associations))
        for (association_id, postal_code, city, _), size in zip(associations, sizes, strict=True):
            for _ in range(size):
                chunk.append(self.mission(association_id, postal_code, city))
                if len(chunk) >= CHUNK_MISSIONS:
                    self.write_chunk(chunk, counts)
                    chunk = []
                    self.stopwatch.lap(f"{counts['missions']:>9,}/{total:,} missions")
        if chunk:
            self.write_chunk(chunk, counts)
            self.stopwatch.lap(f"{counts['missions']:>9,}/{total:,} missions")
        return counts

    def mission(self, association_id: int, postal_code: str, city: str) -> tuple[dict, list[int]]:
        """One mission: (column values without id, skill ids). The random draws come in
        a fixed order, so a seed always gives the same missions."""
        rng = self.rng
        cause_id, family_skills, titles, tasks = self.families[int(rng.random() * len(FAMILIES))]
        if cause_id is None or rng.random() < 0.1:
            cause_id = rng.choice(self.cause_ids)
        postal_code, city, department_id = self.place(postal_code, city)
        is_remote = rng.random() < 0.15
        title, description = self.text(titles, tasks, city or "Paris", is_remote)
        skills = self.skills(family_skills)
        kind, start_date, end_date, hours_per_week, slots = self.schedule()
        status, audience, created_at, published_at = self.publication()
        cause_label = self.cause_labels.get(cause_id, "")
        skill_labels = [label for s in skills for label in self.skill_labels[s]]
        search_text = fold(" ".join([title, description, city, *skill_labels, cause_label]))
        values = {
            "association_id": association_id,
            "title": title,
            "description": description,
            "cause_id": cause_id,
            "is_remote": is_remote,
            "postal_code": postal_code,
            "city": city,
            "department_id": department_id,
            "schedule_kind": kind,
            "start_date": start_date,
            "end_date": end_date,
            "schedule_note": rng.choice(SCHEDULE_NOTES[kind]),
            "time_slots": slots,
            "time_commitment": rng.choice(COMMITMENTS),
            "hours_per_week": hours_per_week,
            "volunteers_wanted": 1 + int(rng.random() ** 2 * 10),
            "minimum_age": rng.choice((None, None, None, None, 16, 18, 18)),
            "audience": audience,
            "status": status,
            "published_at": published_at,
            "contact_id": None,
            "created_by_id": None,
            "search_text": search_text,
            "created_at": created_at,
            "updated_at": self.now,
        }
        return values, skills

    def place(self, postal_code: str, city: str) -> tuple[str, str, int | None]:
        """The association's own place, or (40 %, or when it has none) one of the towns."""
        if not postal_code or self.rng.random() < 0.4:
            postal_code, city = self.rng.choices(self.towns, weights=self.town_weights)[0]
        department_id = self.department_of.get(postal_code)
        if department_id is None and postal_code:
            department_id = self.departments.get(department_code_for_postal_code(postal_code))
        return postal_code, city, department_id

    def text(self, titles, tasks, city: str, is_remote: bool) -> tuple[str, str]:
        """A title from the family's stems and a description of generic sentences around
        one or two of its tasks."""
        rng = self.rng
        stem = rng.choice(titles)
        title = (stem + rng.choice(TITLE_SUFFIXES).format(city=city))[:200]
        activity = stem[0].lower() + stem[1:]
        sentences = [
            rng.choice(INTROS).format(activity=activity, city=city),
            *rng.sample(tasks, k=min(len(tasks), 1 + int(rng.random() * 2))),
            rng.choice(PROFILES),
            REMOTE_PLACE if is_remote else rng.choice(PLACES),
            rng.choice(CLOSINGS),
        ]
        return title, " ".join(s for s in sentences if s)

    def skills(self, family_skills: list[int]) -> list[int]:
        """One or two of the family's skills, completed at random: 1 to 4, mostly 1 or 2."""
        rng = self.rng
        skills = list(dict.fromkeys(rng.sample(family_skills, k=min(len(family_skills), 2))))
        wanted = 1 + int(rng.random() ** 1.5 * 4)
        while len(skills) < wanted:
            extra = rng.choice(self.skill_ids)
            if extra not in skills:
                skills.append(extra)
        return skills[:4]

    def schedule(self):
        """(kind, start date, end date, hours per week, time slots) around today."""
        rng = self.rng
        draw = rng.random()
        kind = ONE_OFF if draw < 0.35 else RECURRING if draw < 0.75 else FLEXIBLE
        start_date = end_date = None
        hours_per_week = None
        if kind == ONE_OFF:
            start_date = self.today + datetime.timedelta(days=int(rng.random() * 150) - 20)
            if rng.random() < 0.3:
                end_date = start_date + datetime.timedelta(days=1 + int(rng.random() * 3))
        elif kind == RECURRING:
            start_date = self.today + datetime.timedelta(days=int(rng.random() * 230) - 200)
            if rng.random() < 0.7:
                end_date = start_date + datetime.timedelta(days=60 + int(rng.random() * 300))
            hours_per_week = Decimal(rng.choice(("1", "2", "2.5", "3", "4", "6")))
        slots = sorted(rng.sample(TIME_SLOTS, k=1 + int(rng.random() * len(TIME_SLOTS))))
        return kind, start_date, end_date, hours_per_week, slots

    def publication(self):
        """(status, audience, created at, published at): 85 % published and public."""
        rng = self.rng
        draw = rng.random()
        status = (
            PUBLISHED
            if draw < 0.885
            else DRAFT
            if draw < 0.935
            else FULL
            if draw < 0.965
            else CLOSED
        )
        audience = MEMBERS if rng.random() < 0.04 else PUBLIC
        published_at = None
        # To the second, as real ones: the newest first, like the search's default order.
        created_at = self.now - datetime.timedelta(seconds=int(400 * 86_400 * rng.random() ** 2))
        if status != DRAFT:
            published_at = created_at + datetime.timedelta(seconds=int(rng.random() * 2 * 86_400))
            published_at = min(published_at, self.now)
        return status, audience, created_at, published_at

    def write_chunk(self, chunk: list[tuple[dict, list[int]]], counts: dict[str, int]) -> None:
        self.check_search_text(*chunk[0])
        ids = self.loader.insert_returning_ids(
            Mission,
            MISSION_COLUMNS,
            [tuple(values[c] for c in MISSION_COLUMNS) for values, _ in chunk],
        )
        links = [
            (pk, skill) for pk, (_, skills) in zip(ids, chunk, strict=True) for skill in skills
        ]
        self.loader.insert(Mission.skills.through, ("mission_id", "skill_id"), links)
        counts["missions"] += len(ids)
        counts["skills"] += len(links)
        counts["public"] += sum(
            1
            for values, _ in chunk
            if values["status"] == PUBLISHED and values["audience"] == PUBLIC
        )
        counts["remote"] += sum(1 for values, _ in chunk if values["is_remote"])

    # --- derived data, maintenance ----------------------------------------------------------

    def fill_search_vectors(self) -> int:
        """What the mission services keep up to date, for every mission (PostgreSQL;
        nothing to do on SQLite, where the search reads ``search_text``)."""
        return update_search_vectors()

    def analyze(self) -> None:
        """The search vectors are written by an UPDATE after COPY, which leaves a dead
        copy of every row (and --reset the deleted ones): the missions table is
        rewritten compact, as a table of that size would be in steady state."""
        missions = Mission._meta.db_table
        analyze(
            [missions, Mission.skills.through._meta.db_table, Association._meta.db_table],
            compact=[missions],
        )

    def delete_missions(self, association_ids: list[int]) -> None:
        """Delete those associations' missions in batches with the ORM, which follows
        every relation to Mission (views, applications and their messages, invitations
        are deleted, volunteer hours keep their row without the mission) and only
        loads the ids of a batch."""
        ids = list(
            Mission.objects.filter(association_id__in=association_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for start in range(0, len(ids), DELETE_BATCH_SIZE):
            Mission.objects.filter(pk__in=ids[start : start + DELETE_BATCH_SIZE]).only(
                "pk"
            ).delete()
