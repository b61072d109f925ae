"""The official's coverage page: walking reach per format from every residential building."""

from __future__ import annotations

import pytest

from linli.accounts.models import Role
from linli.accounts.services import user_create
from linli.community.models import Community
from linli.community.network_store import building_reach_refresh
from linli.orders.tests.conftest import build_neighbourhood
from linli.planning.selectors import format_coverage

pytestmark = pytest.mark.django_db


@pytest.fixture
def covered(tmp_path):
    hood = build_neighbourhood(tmp_path)
    community = Community.objects.get(pk=hood.marco.outlet.community_id)
    building_reach_refresh(community=community)
    return community


def test_coverage_counts_homes_within_the_walk(covered, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        rows = {r.slug: r for r in format_coverage(community_id=covered.pk, language="zh-hans")}
    assert len(rows) == 26
    # Two homes on a 200 m grid: a shop on the grid is within 5 minutes of both.
    assert rows["convenience_store"].within_target == 1.0
    assert rows["fresh_grocery"].within_circle == 1.0
    # No laundry at all: nobody reaches one, and it is a basic-format gap.
    assert rows["laundry"].count == 0 and rows["laundry"].within_circle == 0.0
    assert rows["laundry"].gap and not rows["convenience_store"].gap
    assert not rows["bookstore"].gap  # quality formats are not gaps


def test_official_page_shows_coverage(client, covered):
    official = user_create(
        phone="13800000009",
        display_name="吴静",
        roles=[Role.COMMERCE_OFFICIAL],
        password="official-123",
    )
    client.force_login(official)
    page = client.get("/gov/").content.decode()
    assert 'data-format="convenience_store"' in page
    row = page[page.index('data-format="convenience_store"') :]
    assert "100%" in row[: row.index("</tr>")]
