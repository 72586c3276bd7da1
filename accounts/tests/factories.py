import factory
from django.contrib.auth.models import Group

from accounts.models import Role, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("concord-pass-1")

    @factory.post_generation
    def roles(self, create: bool, extracted: list[Role] | None, **kwargs: object) -> None:
        if create and extracted:
            for role in extracted:
                self.groups.add(Group.objects.get_or_create(name=role.value)[0])


class CoordinatorFactory(UserFactory):
    roles = factory.PostGeneration(lambda user, create, extracted, **kw: _add_role(user, create, Role.COORDINATOR))


class FacilitatorFactory(UserFactory):
    roles = factory.PostGeneration(lambda user, create, extracted, **kw: _add_role(user, create, Role.FACILITATOR))


class ParticipantUserFactory(UserFactory):
    roles = factory.PostGeneration(lambda user, create, extracted, **kw: _add_role(user, create, Role.PARTICIPANT))


def _add_role(user: User, create: bool, role: Role) -> None:
    if create:
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
