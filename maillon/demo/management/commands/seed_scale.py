"""Bulk-insert a large, realistic-looking data set for benchmarks.

    manage.py seed_scale --associations 1000 --people 1000000 --big-association-people 100000

One association, ``bench-big``, holds ``--big-association-people`` people so the
member list can be measured on a large register; the others share the rest with
a skewed (log-normal) size distribution. Every person has the member role (some
are volunteers, a few volunteers only), the first people of each association form
its bureau, and most have a membership period for last year and this year.

The bench account ``bench@maillon.test`` / ``maillon-bench`` administers bench-big.

This bypasses the services on purpose (speed): rows are written by the demo's bulk
loader (``maillon/demo/bulk.py``: PostgreSQL's COPY, or ``bulk_create`` elsewhere), in
one transaction. Benchmark data is recognised
by the ``bench-`` slug prefix; a second run refuses unless ``--reset`` (delete the
benchmark associations first) or ``--skip-existing`` (exit quietly) is given.
"""

from __future__ import annotations

import datetime
import random
import time
import unicodedata
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.accounts.models import User
from maillon.associations.models import Association, Statutes
from maillon.core.models import AuditEntry
from maillon.core.text import fold
from maillon.demo.bulk import BulkLoader, Stopwatch, add_method_argument, analyze
from maillon.members.models import MembershipPeriod, PaymentMethod, Person, Role, RoleAssignment
from maillon.taxonomy.geo import department_code_for_postal_code
from maillon.taxonomy.models import Department, Sector

BENCH_SLUG_PREFIX = "bench-"
BIG_SLUG = "bench-big"
BENCH_EMAIL = "bench@maillon.test"
BENCH_PASSWORD = "maillon-bench"  # noqa: S105 - published benchmark password
BENCH_EMAIL_DOMAIN = "bench.maillon.test"
CHUNK_PEOPLE = 50_000  # people generated and written per round
BULK_BATCH_SIZE = 5_000

FIRST_NAMES = (
    "Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Sarah", "Julie", "Laura", "Marie",
    "Anne", "Isabelle", "Nathalie", "Sylvie", "Christine", "Monique", "Françoise", "Martine",
    "Jeanne", "Louise", "Zoé", "Amina", "Yasmine", "Salomé", "Océane", "Lucas", "Hugo",
    "Louis", "Gabriel", "Arthur", "Jules", "Nathan", "Thomas", "Nicolas", "Julien", "Pierre",
    "Philippe", "Michel", "Alain", "Bernard", "Patrick", "Jean", "François", "Olivier",
    "Karim", "Mehdi", "Youssef", "Mamadou", "Théo", "Enzo", "Raphaël", "Antoine", "Loïc",
)  # fmt: skip
LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
    "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin",
    "Muller", "Henry", "Roussel", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont",
    "Lopez", "Fontaine", "Chevalier", "Robin", "Masson", "Nguyen", "Boyer", "Denis", "Lemaire",
    "Duval", "Joly", "Roger", "Benali", "Diallo", "Traoré", "Le Goff", "Le Gall", "Tanguy",
    "Santoni", "Marchetti", "Haddad", "Jean-Baptiste", "Bellemare", "Jacquot", "Bourgeois",
)  # fmt: skip
CITIES = (
    ("75011", "Paris"), ("69003", "Lyon"), ("13005", "Marseille"), ("31000", "Toulouse"),
    ("06000", "Nice"), ("44000", "Nantes"), ("67000", "Strasbourg"), ("34000", "Montpellier"),
    ("33000", "Bordeaux"), ("59000", "Lille"), ("35000", "Rennes"), ("51100", "Reims"),
    ("42000", "Saint-Étienne"), ("83000", "Toulon"), ("38000", "Grenoble"), ("21000", "Dijon"),
    ("49000", "Angers"), ("30000", "Nîmes"), ("63000", "Clermont-Ferrand"), ("53000", "Laval"),
    ("29200", "Brest"), ("37000", "Tours"), ("80000", "Amiens"), ("87000", "Limoges"),
    ("25000", "Besançon"), ("64000", "Pau"), ("97110", "Pointe-à-Pitre"), ("97400", "Saint-Denis"),
    ("20000", "Ajaccio"), ("12000", "Rodez"), ("23000", "Guéret"), ("48000", "Mende"),
)  # fmt: skip
ASSOCIATION_NAMES = (
    "Comité des fêtes {of_city}", "Club de basket {of_city}", "Amicale des locataires {of_city}",
    "Jardins partagés {of_city}", "Chorale populaire {of_city}", "Épicerie solidaire {of_city}",
    "Association des parents d'élèves {of_city}", "Ensemble vocal {of_city}",
    "Club de randonnée {of_city}", "Collectif vélo {of_city}", "Théâtre amateur {of_city}",
    "Secours solidaire {of_city}", "Maison des jeunes {of_city}", "Ciné-club {of_city}",
)  # fmt: skip
# Plain strings (not enum members): COPY writes them as they are.
METHODS = tuple(
    m.value for m in (PaymentMethod.CHEQUE, PaymentMethod.CHEQUE, PaymentMethod.CASH,
                      PaymentMethod.TRANSFER, PaymentMethod.ONLINE, PaymentMethod.CARD)
)  # fmt: skip
AMOUNTS = tuple(Decimal(a) for a in ("5", "10", "15", "20", "25", "30", "50", "120"))
# The first people of every association form its bureau.
MEMBER, VOLUNTEER = Role.MEMBER.value, Role.VOLUNTEER.value
BUREAU = (
    (Role.ADMIN.value, Role.PRESIDENT.value, MEMBER),
    (Role.TREASURER.value, MEMBER),
    (Role.SECRETARY.value, MEMBER),
    (Role.BOARD.value, MEMBER),
    (Role.BOARD.value, MEMBER),
    (Role.BOARD.value, MEMBER),
)


def _ascii(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "-" for c in plain.lower())


ASCII = {name: _ascii(name) for name in FIRST_NAMES + LAST_NAMES}  # for email addresses
# fold() works character by character, so folding the parts once is enough.
FOLDED = {text: fold(text) for text in FIRST_NAMES + LAST_NAMES + tuple(c for _, c in CITIES)}

PERSON_COLUMNS = (
    "association_id", "user_id", "first_name", "last_name", "email", "phone", "address",
    "postal_code", "city", "birth_date", "joined_on", "left_on", "notes", "consent_newsletter",
    "consent_directory", "anonymised_at", "created_at", "updated_at", "search_text",
)  # fmt: skip
ROLE_COLUMNS = ("association_id", "person_id", "role", "since")
PERIOD_COLUMNS = (
    "association_id", "person_id", "start", "end", "fee_paid", "amount", "method", "paid_on",
    "note", "created_at", "receipt_url",
)  # fmt: skip


class Command(BaseCommand):
    help = "Bulk-insert a large benchmark data set (bench-* associations)."

    def add_arguments(self, parser):
        parser.add_argument("--associations", type=int, default=1000)
        parser.add_argument("--people", type=int, default=1_000_000)
        parser.add_argument("--big-association-people", type=int, default=100_000)
        add_method_argument(parser)
        parser.add_argument("--seed", type=int, default=2026, help="random seed")
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--reset", action="store_true", help="delete existing benchmark data first"
        )
        group.add_argument(
            "--skip-existing",
            action="store_true",
            help="exit without changes when benchmark data already exists",
        )

    def handle(self, *args, **options):
        exists = Association.objects.filter(slug__startswith=BENCH_SLUG_PREFIX).exists()
        if exists and options["skip_existing"]:
            self.stdout.write("Benchmark data already present: nothing to do.")
            return
        if exists and not options["reset"]:
            raise CommandError(
                "Benchmark data already exists (bench-* associations). "
                "Use --reset to replace it or --skip-existing to keep it."
            )
        associations, people = options["associations"], options["people"]
        big = min(options["big_association_people"], people)
        if associations < 1 or people < len(BUREAU) * associations:
            raise CommandError(f"Give at least one association and {len(BUREAU)} people each.")
        if associations == 1:
            big = people
        elif people - big < len(BUREAU) * (associations - 1):
            raise CommandError("Too few people left for the associations other than bench-big.")
        self.loader = BulkLoader(options["method"], batch_size=BULK_BATCH_SIZE)
        if not Sector.objects.exists():
            raise CommandError("Reference data is missing: run `manage.py migrate` first.")
        for model, columns in (
            (Person, PERSON_COLUMNS),
            (RoleAssignment, ROLE_COLUMNS),
            (MembershipPeriod, PERIOD_COLUMNS),
        ):
            self.loader.check_columns(model, columns, by="seed_scale")

        self.stopwatch = Stopwatch(self.stdout)
        if exists:
            self.delete_bench_data()
            self.stopwatch.lap("deleted previous benchmark data")

        self.rng = random.Random(options["seed"])  # noqa: S311 - reproducible data
        self.today = timezone.localdate()
        self.now = timezone.now()
        sizes = [big] + self.split_sizes(people - big, associations - 1)
        seeding = time.monotonic()
        with scopes_disabled(), transaction.atomic():
            user = self.bench_user()
            associations = self.create_associations(len(sizes))
            self.stopwatch.lap(f"{len(sizes)} associations, statutes and audit entries")
            counts = self.create_people(associations, sizes, user)
        inserted = time.monotonic()
        analyze([m._meta.db_table for m in (Association, Person, RoleAssignment, MembershipPeriod)])
        self.stopwatch.lap("planner statistics updated (ANALYZE, and VACUUM on PostgreSQL)")
        done = time.monotonic()
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded with {self.loader.method} in {done - seeding:.1f} s "
                f"(insert {inserted - seeding:.1f} s, vacuum/analyze {done - inserted:.1f} s): "
                f"{len(sizes)} associations, {counts['people']} people ({big} in {BIG_SLUG}), "
                f"{counts['roles']} roles, {counts['periods']} membership periods; "
                f"{counts['people'] / (inserted - seeding):,.0f} people/s inserted."
            )
        )
        self.stdout.write(f"Bench login: {BENCH_EMAIL} / {BENCH_PASSWORD} (admin of {BIG_SLUG})")

    # --- helpers ----------------------------------------------------------------------------

    @staticmethod
    def check_search_text(row: tuple) -> None:
        """The derived search column must be what Person.refresh_search_text() gives."""
        person = Person(**dict(zip(PERSON_COLUMNS, row, strict=True)))
        person.refresh_search_text()
        if person.search_text != row[PERSON_COLUMNS.index("search_text")]:
            raise CommandError("seed_scale's search_text differs from Person.refresh_search_text()")

    def split_sizes(self, total: int, count: int) -> list[int]:
        """``count`` sizes adding up to ``total``, skewed like real associations: many
        small ones, a few large ones; each at least the size of a bureau."""
        if count == 0:
            return []
        floor = len(BUREAU)
        weights = [self.rng.lognormvariate(0, 1.1) for _ in range(count)]
        spare = total - floor * count
        scale = spare / sum(weights)
        sizes = [floor + int(w * scale) for w in weights]
        sizes[weights.index(max(weights))] += total - sum(sizes)  # rounding remainder
        return sizes

    def bench_user(self) -> User:
        user = User.objects.filter(email__iexact=BENCH_EMAIL).first()
        if user is None:
            user = User.objects.create(
                email=BENCH_EMAIL,
                full_name="Compte de banc d'essai",
                language="fr",
                password=make_password(BENCH_PASSWORD),
            )
        EmailAddress.objects.get_or_create(
            user=user, email=BENCH_EMAIL, defaults={"verified": True, "primary": True}
        )
        return user

    def create_associations(self, count: int) -> list[tuple[int, str, str]]:
        """(id, postal code, city) of ``count`` new associations, bench-big first."""
        sectors = list(Sector.objects.values_list("pk", flat=True))
        departments = dict(Department.objects.values_list("code", "pk"))
        associations = []
        purpose = "Association générée pour les mesures de performance."
        for n in range(count):
            postal_code, city = self.rng.choice(CITIES)
            if n == 0:
                slug, name = BIG_SLUG, "Grande fédération (banc d'essai)"
            else:
                slug = f"{BENCH_SLUG_PREFIX}{n:05d}"
                of_city = ("d'" if city[0] in "AEIOUÉ" else "de ") + city
                name = self.rng.choice(ASSOCIATION_NAMES).format(of_city=of_city)
            associations.append(
                Association(
                    slug=slug,
                    name=name,
                    purpose=purpose,
                    # What Association.save() derives; bulk_create does not call save().
                    search_text=fold(" ".join([name, city, purpose])),
                    sector_id=self.rng.choice(sectors),
                    postal_code=postal_code,
                    city=city,
                    department_id=departments.get(department_code_for_postal_code(postal_code)),
                    is_listed=n % 10 != 0,
                    created_at=self.now,
                )
            )
        Association.objects.bulk_create(associations, batch_size=BULK_BATCH_SIZE)
        Statutes.objects.bulk_create(
            [Statutes(association=a) for a in associations], batch_size=BULK_BATCH_SIZE
        )
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    association=a,
                    actor_label="seed_scale",
                    action="association.created",
                    object_type=Association._meta.label_lower,
                    object_id=str(a.pk),
                    object_repr=a.name[:255],
                    data={"slug": a.slug, "source": "seed_scale"},
                    created_at=self.now,
                )
                for a in associations
            ],
            batch_size=BULK_BATCH_SIZE,
        )
        return [(a.pk, a.postal_code, a.city) for a in associations]

    # --- people, roles, membership periods ---------------------------------------------------

    def create_people(self, associations, sizes, user) -> dict[str, int]:
        counts = {"people": 0, "roles": 0, "periods": 0}
        total = sum(sizes)
        chunk: list[tuple] = []
        for position, ((association_id, postal_code, city), size) in enumerate(
            zip(associations, sizes, strict=True)
        ):
            for index in range(size):
                # The bench account is the first person (administrator) of bench-big.
                account = user if position == 0 and index == 0 else None
                number = counts["people"] + len(chunk)
                chunk.append(self.person(association_id, index, number, postal_code, city, account))
                if len(chunk) >= CHUNK_PEOPLE:
                    self.write_chunk(chunk, counts)
                    chunk = []
                    self.stopwatch.lap(f"{counts['people']:>9,}/{total:,} people")
        if chunk:
            self.write_chunk(chunk, counts)
            self.stopwatch.lap(f"{counts['people']:>9,}/{total:,} people")
        return counts

    def person(self, association_id, index, number, postal_code, city, user) -> tuple:
        """One person: (person row without id, roles, membership periods)."""
        rng = self.rng
        first = FIRST_NAMES[int(rng.random() * len(FIRST_NAMES))]
        last = LAST_NAMES[int(rng.random() * len(LAST_NAMES))]
        has_email = user is not None or rng.random() < 0.85
        if user is not None:
            email = user.email
        elif has_email:
            email = f"{ASCII[first]}.{ASCII[last]}.{number}@{BENCH_EMAIL_DOMAIN}"
        else:
            email = ""
        joined_on = self.today - datetime.timedelta(days=int(6000 * rng.random() ** 2))
        left_on = None
        if index >= len(BUREAU) and rng.random() < 0.06:
            left_on = joined_on + datetime.timedelta(
                days=int((self.today - joined_on).days * rng.random())
            )
        row = (
            association_id,
            user.pk if user else None,
            first,
            last,
            email,
            "" if has_email else f"01 99 00 {number % 100:02d} {number // 100 % 100:02d}",
            "",
            postal_code,
            city,
            datetime.date(1940 + int(rng.random() * 68), 1 + int(rng.random() * 12), 1),
            joined_on,
            left_on,
            "",
            rng.random() < 0.5,
            rng.random() < 0.3,
            None,
            self.now,
            self.now,
            f"{FOLDED[first]} {FOLDED[last]} {fold(email)} {FOLDED[city]}"[:600],
        )
        draw = rng.random()
        if index < len(BUREAU):
            roles = BUREAU[index]
        elif draw < 0.03:
            roles = (VOLUNTEER,)
        elif draw < 0.13:
            roles = (MEMBER, VOLUNTEER)
        else:
            roles = (MEMBER,)
        periods = []
        if MEMBER in roles:
            for year, paid_share, unpaid_share in ((self.today.year - 1, 0.85, 0.03),
                                                   (self.today.year, 0.62, 0.08)):  # fmt: skip
                start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
                draw = rng.random()
                if (
                    joined_on > end
                    or (left_on and left_on < start)
                    or draw >= paid_share + unpaid_share
                ):
                    continue
                paid = draw < paid_share
                paid_on = min(self.today, start + datetime.timedelta(days=int(rng.random() * 90)))
                periods.append((
                    start, end, paid, AMOUNTS[int(rng.random() * len(AMOUNTS))],
                    METHODS[int(rng.random() * len(METHODS))] if paid else "",
                    paid_on if paid else None, "",
                ))  # fmt: skip
        return row, roles, joined_on, periods

    def write_chunk(self, chunk: list[tuple], counts: dict[str, int]) -> None:
        self.check_search_text(chunk[0][0])
        ids = self.loader.insert_returning_ids(
            Person, PERSON_COLUMNS, [row for row, _, _, _ in chunk]
        )
        roles, periods = [], []
        for person_id, (row, person_roles, since, person_periods) in zip(ids, chunk, strict=True):
            association_id = row[0]
            roles.extend((association_id, person_id, role, since) for role in person_roles)
            periods.extend(
                (association_id, person_id, *period, self.now, "") for period in person_periods
            )
        self.loader.insert(RoleAssignment, ROLE_COLUMNS, roles)
        self.loader.insert(MembershipPeriod, PERIOD_COLUMNS, periods)
        counts["people"] += len(ids)
        counts["roles"] += len(roles)
        counts["periods"] += len(periods)

    # --- a second run ----------------------------------------------------------------------

    def delete_bench_data(self) -> None:
        """Delete every row of the bench-* associations with one DELETE per table: the
        ORM's cascade would load a million people into memory. Every tenant-owned
        table carries ``association_id``; foreign keys are checked at commit."""
        quote = connection.ops.quote_name
        association_table = quote(Association._meta.db_table)
        bench_ids = f"SELECT id FROM {association_table} WHERE slug LIKE %s"  # noqa: S608
        with transaction.atomic(), connection.cursor() as cursor:
            tables = set(connection.introspection.table_names(cursor))
            for model in apps.get_models():
                if model is Association or model._meta.db_table not in tables:
                    continue
                for field in model._meta.concrete_fields:
                    if field.is_relation and field.related_model is Association:
                        cursor.execute(
                            f"DELETE FROM {quote(model._meta.db_table)} "  # noqa: S608
                            f"WHERE {quote(field.column)} IN ({bench_ids})",
                            [BENCH_SLUG_PREFIX + "%"],
                        )
            cursor.execute(
                f"DELETE FROM {association_table} WHERE slug LIKE %s",  # noqa: S608
                [BENCH_SLUG_PREFIX + "%"],
            )
