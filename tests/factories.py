import factory

from households.models import Area
from tkpk.models import Agency, Role, User

PASSWORD = "kata-sandi-uji-9173"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["acronym"]

    acronym = factory.Sequence(lambda n: f"OPD{n}")
    name = factory.LazyAttribute(lambda o: f"Dinas {o.acronym}")


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
