import datetime

import factory
from django.utils import timezone

from households.models import Area, Household, Person, Relationship, Sex
from partners.models import (
    Commitment,
    Partner,
    PartnerKind,
    Pledge,
    PledgeKind,
    Realisation,
    RealisationStatus,
)
from programs.models import (
    ActionPlan,
    Activity,
    Enrollment,
    EnrollmentStatus,
    Pillar,
    Program,
    ProgramKind,
    ProgramStatus,
    Progress,
    QuarterReport,
    ReviewStatus,
    VillageQuota,
    quarter_end,
)
from tkpk.models import Agency, Role, User

PASSWORD = "kata-sandi-uji-9173"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["acronym"]

    acronym = factory.Sequence(lambda n: f"OPD{n}")
    name = factory.LazyAttribute(lambda o: f"Dinas {o.acronym}")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"PT Mitra {n}")
    kind = PartnerKind.COMPANY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    name = factory.Faker("name", locale="id_ID")
    role = Role.SECRETARIAT
    agency = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role == Role.AGENCY),
        yes_declaration=factory.SubFactory(AgencyFactory),
        no_declaration=None,
    )
    partner = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role == Role.PARTNER),
        yes_declaration=factory.SubFactory(PartnerFactory),
        no_declaration=None,
    )
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AreaFactory(factory.django.DjangoModelFactory):
    """Build a whole branch: AreaFactory(code="63.02.17.2003") creates its parents too."""

    class Meta:
        model = Area
        django_get_or_create = ["code"]

    code = "63"
    name = factory.LazyAttribute(lambda o: f"Wilayah {o.code}")
    level = factory.LazyAttribute(lambda o: o.code.count(".") + 1)
    parent = factory.LazyAttribute(
        lambda o: AreaFactory(code=o.code.rpartition(".")[0]) if "." in o.code else None
    )


class HouseholdFactory(factory.django.DjangoModelFactory):
    """A household in Langadai (63.02.17.2003) with a valid 16-digit No. KK."""

    class Meta:
        model = Household

    no_kk = factory.Sequence(lambda n: f"6302170101{20 + n // 10000 % 80:02d}{n % 10000 + 1:04d}")
    village = factory.LazyFunction(lambda: AreaFactory(code="63.02.17.2003", name="Langadai"))
    address = factory.Sequence(lambda n: f"Jl. Transmigrasi No. {n + 1}")
    rt = "001"
    rw = "002"
    dusun = "Dusun I"


class PersonFactory(factory.django.DjangoModelFactory):
    """A man born on 1 January 1990 with a valid NIK (day 01, month 01, year 90, a serial)."""

    class Meta:
        model = Person

    nik = factory.Sequence(lambda n: f"630217010190{n % 9999 + 1:04d}")
    name = factory.Sequence(lambda n: f"WARGA {n + 1}")
    sex = Sex.MALE
    birth_date = datetime.date(1990, 1, 1)
    relationship = Relationship.HEAD
    household = factory.SubFactory(HouseholdFactory)


class PillarFactory(factory.django.DjangoModelFactory):
    """One of the four pillars the migration seeds, by its order (2: income and empowerment)."""

    class Meta:
        model = Pillar
        django_get_or_create = ["order"]

    order = 2
    name = factory.Sequence(lambda n: f"Pilar {n}")
    short_name = factory.Sequence(lambda n: f"Pilar {n}")


class ProgramFactory(factory.django.DjangoModelFactory):
    """A running empowerment program of 2025 without rules or target villages."""

    class Meta:
        model = Program
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"PRG-{n + 1:03d}")
    name = factory.LazyAttribute(lambda o: f"Program {o.code}")
    pillar = factory.SubFactory(PillarFactory)
    lead_agency = factory.SubFactory(AgencyFactory)
    kind = ProgramKind.EMPOWERMENT
    start_date = datetime.date(2025, 10, 1)
    end_date = datetime.date(2026, 3, 31)
    status = ProgramStatus.RUNNING


class VillageQuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VillageQuota

    program = factory.SubFactory(ProgramFactory)
    village = factory.LazyFunction(lambda: AreaFactory(code="63.02.17.2003", name="Langadai"))
    quota = 10


class EnrollmentFactory(factory.django.DjangoModelFactory):
    """An enrolment written directly, without the service's rules: for setting up a scene."""

    class Meta:
        model = Enrollment

    program = factory.SubFactory(ProgramFactory)
    person = factory.SubFactory(PersonFactory)
    household = factory.LazyAttribute(lambda o: o.person.household)
    village = factory.LazyAttribute(lambda o: o.person.household.village)
    status = EnrollmentStatus.ENROLLED
    enrolled_on = datetime.date(2025, 10, 6)
    status_changed_on = factory.LazyAttribute(lambda o: o.enrolled_on)
    desil_at_enrollment = factory.LazyAttribute(lambda o: o.person.household.desil)
    desil_period_at_enrollment = factory.LazyAttribute(lambda o: o.person.household.desil_period)
    created_by = factory.SubFactory(UserFactory)


class CommitmentFactory(factory.django.DjangoModelFactory):
    """A commitment signed by `partners` (default: one new partner)."""

    class Meta:
        model = Commitment
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Komitmen bersama {n}")
    signed_on = datetime.date(2025, 10, 4)
    start_date = datetime.date(2025, 10, 4)
    end_date = datetime.date(2026, 3, 31)
    created_by = factory.SubFactory(UserFactory, role=Role.SECRETARIAT)

    @factory.post_generation
    def partners(obj, create, extracted, **kwargs):
        if create:
            obj.partners.set(extracted if extracted is not None else [PartnerFactory()])


class PledgeFactory(factory.django.DjangoModelFactory):
    """Money by default; the partner is the commitment's first signer."""

    class Meta:
        model = Pledge

    commitment = factory.SubFactory(CommitmentFactory)
    partner = factory.LazyAttribute(lambda o: o.commitment.partners.first())
    kind = PledgeKind.MONEY
    quantity = 100_000_000
    unit = "Rp"


class RealisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Realisation

    pledge = factory.SubFactory(PledgeFactory)
    delivered_on = datetime.date(2025, 11, 10)
    quantity = 25_000_000
    status = RealisationStatus.SUBMITTED
    entered_by = factory.SubFactory(UserFactory, role=Role.SECRETARIAT)


class ActionPlanFactory(factory.django.DjangoModelFactory):
    """A draft plan of 2026 written directly, without the services: for setting up a scene."""

    class Meta:
        model = ActionPlan

    agency = factory.SubFactory(AgencyFactory)
    year = 2026
    status = ReviewStatus.DRAFT
    created_by = factory.SubFactory(UserFactory, role=Role.SECRETARIAT)


class ActivityFactory(factory.django.DjangoModelFactory):
    """100 people in the year, 25 a quarter, Rp 100.000.000 of APBD."""

    class Meta:
        model = Activity

    plan = factory.SubFactory(ActionPlanFactory)
    name = factory.Sequence(lambda n: f"Pelatihan keterampilan {n}")
    sub_activity_code = "1.02.02.2.02.0001"
    pillar = factory.SubFactory(PillarFactory)
    indicator = "Peserta pelatihan"
    unit = "orang"
    target = 100
    target_q1 = 25
    target_q2 = 25
    target_q3 = 25
    target_q4 = 25
    budget = 100_000_000
    updated_by = factory.LazyAttribute(lambda o: o.plan.created_by)


class QuarterReportFactory(factory.django.DjangoModelFactory):
    """A report; one that is not a draft was first sent on the last day of its quarter."""

    class Meta:
        model = QuarterReport

    plan = factory.SubFactory(ActionPlanFactory)
    quarter = 1
    status = ReviewStatus.DRAFT
    first_submitted_at = factory.LazyAttribute(
        lambda o: (
            None
            if o.status == ReviewStatus.DRAFT
            else timezone.make_aware(
                datetime.datetime.combine(quarter_end(o.plan.year, o.quarter), datetime.time(12))
            )
        )
    )
    submitted_at = factory.LazyAttribute(lambda o: o.first_submitted_at)


class ProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Progress

    report = factory.SubFactory(QuarterReportFactory)
    activity = factory.SubFactory(ActivityFactory, plan=factory.SelfAttribute("..report.plan"))
    realised = 25
    spent = 20_000_000
    updated_by = factory.LazyAttribute(lambda o: o.report.plan.created_by)
