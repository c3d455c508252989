"""Chapters 1 and 6 (introduction.py, coordination.py): what the secretariat wrote, the gaps
it left, and the awards as reports.awards gives them."""

from django.utils.translation import gettext as _

from programs.models import Pillar
from reports.awards.scoring import method_text
from reports.awards.tables import award_tables
from reports.models import AwardCategory
from reports.year_end.chapters.coordination import coordination_chapter
from reports.year_end.chapters.introduction import introduction_chapter
from reports.year_end.content import Narrative, TableBlock
from tests.reports.year_end.conftest import TODAY, YEAR, section


def test_the_introduction_is_what_the_secretariat_wrote(year_end):
    chapter = introduction_chapter(year_end)
    assert chapter.lead == (
        Narrative("**Dasar hukum**: Permendagri 53/2020.", chapter.lead[0].missing),
    )
    assert chapter.lead[0].missing  # printed only when the text is empty


def test_coordination_problems_and_recommendations_with_the_gaps_shown(year_end, monkeypatch):
    monkeypatch.setattr(
        "reports.year_end.chapters.coordination._awards", lambda year, today: None
    )  # the awards have their own test below
    chapter = coordination_chapter(year_end, today=TODAY)
    coordination = section(chapter, _("Coordination held during the year")).blocks[0]
    assert coordination.text == "- Rakor triwulan I\n- Rakor akhir tahun"
    problems = section(chapter, _("Problems met")).blocks[0]
    recommendations = section(chapter, _("Recommendations")).blocks[0]
    assert (problems.text, recommendations.text) == ("", "")
    assert problems.missing and recommendations.missing
    assert problems.missing != recommendations.missing


def test_the_awards_method_and_a_ranking_per_category(full_year, plans, partners, year_end, users):
    one, two = Pillar.objects.order_by("order", "pk")[:2]
    AwardCategory.objects.create(year=YEAR, pillar=one, name=one.name, order=1)
    AwardCategory.objects.create(year=YEAR, pillar=two, name=two.name, order=2)
    AwardCategory.objects.create(year=YEAR, name="Desa terbaik", order=3)
    awards = section(coordination_chapter(year_end, today=TODAY), _("Awards"))
    expected = award_tables(YEAR, today=TODAY)
    assert len(expected) == 3
    assert awards.blocks[0] == Narrative(method_text(YEAR))
    assert "40" in awards.blocks[0].text  # the default weight of achieving targets
    assert [b.table for b in awards.blocks[1:]] == expected
    assert all(isinstance(b, TableBlock) for b in awards.blocks[1:])


def test_a_year_without_award_categories_says_so(year_end):
    awards = section(coordination_chapter(year_end, today=TODAY), _("Awards"))
    assert [type(block) for block in awards.blocks] == [Narrative, Narrative]
    assert str(YEAR) in awards.blocks[1].missing
