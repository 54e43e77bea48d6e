"""The regional level in ``agents.scoping``: a regional user reaches every branch of their region and no
other; their scope is the region, narrowed to one of its branches, offices or agents, never widened."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from agents.models import Agent, Branch, PerisaiOffice, Region, User
from agents.scoping import Scope, for_user, scope_for
from demo import cilacap as demo_cilacap
from demo.regions import seed_region_demo
from enrollment.models import Acquisition, Contribution
from tests.factories import (
    AcquisitionFactory,
    AgentFactory,
    BranchFactory,
    ContributionFactory,
    PerisaiOfficeFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions(rate):
    """Jawa Tengah (Cilacap, Banyumas), Jawa Timur (Surabaya), and Purwokerto in no region yet; an office,
    an agent and a paid acquisition in each branch."""
    jateng = RegionFactory(code="JTG", name="Kanwil Jawa Tengah dan DI Yogyakarta")
    jatim = RegionFactory(code="JTM", name="Kanwil Jawa Timur")
    world = {"JTG": jateng, "JTM": jatim}
    for code, region in (("CLP", jateng), ("BMS", jateng), ("SBY", jatim), ("PWT", None)):
        branch = BranchFactory(code=code, region=region)
        office = PerisaiOfficeFactory(branch=branch, code=f"{code}-1")
        agent = AgentFactory(branch=branch, office=office, code=f"{code}-A1")
        acquisition = AcquisitionFactory(agent=agent, rate=rate)
        ContributionFactory(acquisition=acquisition)
        world[code] = branch
    return world


@pytest.fixture
def regional(regions):
    return UserFactory(role=User.Role.REGIONAL, branch=None, region=regions["JTG"])


def _codes(queryset, path):
    return sorted(queryset.values_list(path, flat=True))


def test_a_regional_user_reaches_the_rows_of_every_branch_of_their_region_and_no_other(regional):
    assert _codes(for_user(Acquisition.objects.all(), regional), "branch__code") == ["BMS", "CLP"]
    assert _codes(
        for_user(Contribution.objects.all(), regional, "acquisition__branch"), "acquisition__branch__code"
    ) == [
        "BMS",
        "CLP",
    ]
    assert _codes(for_user(Agent.objects.all(), regional), "code") == ["BMS-A1", "CLP-A1"]
    assert _codes(for_user(Branch.objects.all(), regional, branch_path=None), "code") == ["BMS", "CLP"]


def test_a_branch_in_no_region_is_reached_by_no_regional_user(regions, regional):
    other = UserFactory(role=User.Role.REGIONAL, branch=None, region=regions["JTM"])
    for user in (regional, other):
        assert not for_user(Branch.objects.filter(code="PWT"), user, branch_path=None).exists()
        assert not for_user(Acquisition.objects.filter(branch__code="PWT"), user).exists()


def test_a_regional_users_scope_is_their_region(regional, regions):
    scope = scope_for(regional)

    assert scope == Scope(region=regions["JTG"])
    assert scope.level == "region"
    assert scope.label == "Kanwil Jawa Tengah dan DI Yogyakarta"
    assert scope.params == {"region": "JTG"}
    assert _codes(scope.filter(Acquisition.objects.all()), "branch__code") == ["BMS", "CLP"]
    assert _codes(scope.filter(Contribution.objects.all(), prefix="acquisition__"), "acquisition__branch__code") == [
        "BMS",
        "CLP",
    ]
    assert _codes(scope.filter_agents(Agent.objects.all()), "code") == ["BMS-A1", "CLP-A1"]
    assert _codes(scope.filter_offices(PerisaiOffice.objects.all()), "code") == ["BMS-1", "CLP-1"]
    assert _codes(scope.filter_branches(Branch.objects.all()), "code") == ["BMS", "CLP"]


def test_a_regional_user_narrows_to_a_branch_office_or_agent_of_their_region(regional, regions):
    assert scope_for(regional, branch_code="BMS") == Scope(branch=regions["BMS"])
    assert scope_for(regional, region_code="JTG", branch_code="CLP") == Scope(branch=regions["CLP"])
    assert scope_for(regional, office_code="BMS-1").office.code == "BMS-1"
    assert scope_for(regional, agent_code="CLP-A1").agent.code == "CLP-A1"


@pytest.mark.parametrize(
    "asked",
    [
        {"branch_code": "SBY"},
        {"branch_code": "PWT"},
        {"office_code": "SBY-1"},
        {"agent_code": "SBY-A1"},
        {"region_code": "JTM"},
        {"branch_code": "CLP", "office_code": "BMS-1"},
    ],
)
def test_a_regional_user_asking_beyond_their_region_is_refused(regional, asked):
    with pytest.raises(PermissionDenied):
        scope_for(regional, **asked)


def test_a_national_administrator_picks_a_region_or_a_branch_within_it(regions):
    admin = UserFactory(role=User.Role.ADMIN, branch=None)

    assert scope_for(admin, region_code="JTM") == Scope(region=regions["JTM"])
    assert scope_for(admin, region_code="JTM", branch_code="SBY") == Scope(branch=regions["SBY"])
    assert scope_for(admin, branch_code="PWT") == Scope(branch=regions["PWT"])
    with pytest.raises(PermissionDenied):
        scope_for(admin, region_code="JTM", branch_code="CLP")  # a branch of another region than the one asked
    with pytest.raises(PermissionDenied):
        scope_for(admin, region_code="NOPE")


def test_branch_staff_may_not_widen_their_scope_to_their_region(regions):
    staff = UserFactory(role=User.Role.STAFF, branch=regions["CLP"])
    with pytest.raises(PermissionDenied):
        scope_for(staff, region_code="JTG")
    assert scope_for(staff) == Scope(branch=regions["CLP"])


def test_a_branch_moved_to_another_region_takes_its_figures_with_it(regions, regional):
    Branch.objects.filter(code="BMS").update(region=regions["JTM"])
    scope = scope_for(regional)
    assert _codes(scope.filter(Acquisition.objects.all()), "branch__code") == ["CLP"]
    assert _codes(for_user(Acquisition.objects.all(), regional), "branch__code") == ["CLP"]


def test_a_regional_user_reads_like_a_branch_head_and_writes_nothing(regional):
    assert regional.has_perm("agents.view_agent")
    assert regional.has_perm("enrollment.view_participant")
    assert regional.has_perm("incentives.view_incentivescheme")
    for permission in (
        "agents.add_agent",
        "agents.change_agent",
        "agents.change_perisaioffice",
        "enrollment.change_participant",
        "enrollment.add_importbatch",
        "enrollment.add_paymentimport",
        "recruitment.add_candidate",
    ):
        assert not regional.has_perm(permission), permission
    assert not regional.is_national


@pytest.mark.parametrize(
    "fields",
    [
        {"role": User.Role.REGIONAL, "branch": None, "region": None},  # a regional user needs a region
        {"role": User.Role.REGIONAL, "branch": "CLP", "region": "JTG"},  # and reads it, not one branch
        {"role": User.Role.STAFF, "branch": "CLP", "region": "JTG"},  # nobody else has a region
        {"role": User.Role.ADMIN, "branch": None, "region": "JTG"},
    ],
)
def test_the_schema_refuses_a_region_on_the_wrong_account(regions, fields):
    user = User(
        username="wrong",
        role=fields["role"],
        branch=regions.get(fields["branch"]),
        region=regions.get(fields["region"]),
    )
    with pytest.raises(ValidationError):
        user.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        user.save()


def test_the_demos_regional_office_holds_cilacap_and_its_account_reads_it_once_seeded_twice(rate):
    cilacap = BranchFactory(code=demo_cilacap.BRANCH_CODE, name="Cilacap")

    region = seed_region_demo()
    seed_region_demo()

    cilacap.refresh_from_db()
    assert (region.code, region.name) == ("JTG", "Kanwil Jawa Tengah dan DI Yogyakarta")
    assert cilacap.region == region and Region.objects.count() == 1
    wilayah = User.objects.get(username="wilayah")
    assert wilayah.check_password(demo_cilacap.DEMO_PASSWORD)
    assert scope_for(wilayah) == Scope(region=region)
    assert list(for_user(Branch.objects.all(), wilayah, branch_path=None)) == [cilacap]
