"""Chapter 3: strategy and programs per pillar — each program of the year with its budget
by source and its reach (quota against reached, overlap, exclusion, graduation), read from
the program summaries."""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from programs.models import BudgetLine, FundingSource, Pillar, Program
from reports.charts import Chart, ChartKind
from reports.dashboard import pillars_table, programs_table
from reports.tables import Column, Kind, Row, Table
from reports.year_end.chapters.common import gap
from reports.year_end.content import Chapter, ChartBlock, Section, TableBlock


def programs_chapter(year: int) -> Chapter:
    reach = programs_table(year)
    pillars = list(Pillar.objects.order_by("order", "pk"))
    programs = list(
        Program.objects.in_year(year).select_related("pillar", "lead_agency").order_by("code")
    )
    budgets = _budgets(programs)
    sections = [_overview(year, reach, pillars, programs, budgets)]
    sections += [
        _pillar_section(
            year, pillar, reach, [p for p in programs if p.pillar_id == pillar.pk], budgets
        )
        for pillar in pillars
    ]
    return Chapter(title=_("Strategy and programs per pillar"), sections=tuple(sections))


def _budgets(programs: list[Program]) -> dict[int, dict[str, Decimal]]:
    """program id → funding source → amount, in one query for all programs."""
    budgets: dict[int, dict[str, Decimal]] = defaultdict(dict)
    lines = BudgetLine.objects.filter(program__in=programs).values_list(
        "program", "source", "amount"
    )
    for program, source, amount in lines:
        budgets[program][source] = amount
    return budgets


def _sources(programs: list[Program], budgets: dict) -> list[FundingSource]:
    """The funding sources some of `programs` have, in the choices' order."""
    used = {source for p in programs for source in budgets.get(p.pk, {})}
    return [source for source in FundingSource if source in used]


def _budget_note() -> str:
    return _(
        "The budget written on each program, by funding source; a program running over two "
        "years shows its whole budget in both."
    )


def _overview(
    year: int, reach: Table, pillars: list[Pillar], programs: list[Program], budgets: dict
) -> Section:
    """The pillars side by side: places planned against held, and the money by source."""
    sources = _sources(programs, budgets)
    rows = []
    for pillar in pillars:
        mine = [p for p in programs if p.pillar_id == pillar.pk]
        amounts = [
            sum((budgets.get(p.pk, {}).get(s, 0) for p in mine), Decimal(0)) for s in sources
        ]
        rows.append(Row(cells=(pillar.short_name, len(mine), *amounts, sum(amounts, Decimal(0)))))
    money = Table(
        slug="pilar-anggaran",
        title=_("Programs of %(year)d by strategy pillar: budget by source") % {"year": year},
        columns=(
            Column(_("Pillar"), Kind.TEXT),
            Column(_("Programs"), Kind.COUNT),
            *(Column(source.label, Kind.RUPIAH) for source in sources),
            Column(_("Total"), Kind.RUPIAH),
        ),
        rows=tuple(rows),
        note=_budget_note(),
    )
    by_pillar = pillars_table(reach)
    places = Chart(
        by_pillar,
        ChartKind.GROUPED_BAR,
        series=(
            by_pillar.column_index(_("Places planned")),
            by_pillar.column_index(_("Places held")),
        ),
    )
    return Section(_("All pillars"), (ChartBlock(places), TableBlock(money)))


def _pillar_section(
    year: int, pillar: Pillar, reach: Table, programs: list[Program], budgets: dict
) -> Section:
    if not programs:
        return Section(
            pillar.name,
            (gap(_("No program of this pillar runs in %(year)d.") % {"year": year}),),
        )
    blocks = [TableBlock(_budget_table(year, pillar, programs, budgets))]
    mine = _reach_table(pillar, reach)
    if mine.rows:
        blocks.append(TableBlock(mine))
    else:
        blocks.append(
            gap(_("The programs' reach has not been counted for %(year)d yet.") % {"year": year})
        )
    return Section(pillar.name, tuple(blocks))


def _budget_table(year: int, pillar: Pillar, programs: list[Program], budgets: dict) -> Table:
    sources = _sources(programs, budgets)
    rows = []
    for program in programs:
        amounts = [budgets.get(program.pk, {}).get(source) for source in sources]
        total = sum((a for a in amounts if a is not None), Decimal(0))
        rows.append(
            Row(
                cells=(
                    f"{program.code} {program.name}",
                    program.lead_agency.acronym,
                    *amounts,
                    total,
                ),
                key=program.code,
            )
        )
    return Table(
        slug=f"pilar-{pillar.pk}-anggaran",
        title=_("%(pillar)s: programs of %(year)d and their budget")
        % {"pillar": pillar.short_name, "year": year},
        columns=(
            Column(_("Program"), Kind.TEXT),
            Column(_("Lead agency"), Kind.TEXT),
            *(Column(source.label, Kind.RUPIAH) for source in sources),
            Column(_("Total"), Kind.RUPIAH),
        ),
        rows=tuple(rows),
        note=_budget_note(),
    )


def _reach_table(pillar: Pillar, reach: Table) -> Table:
    """The programs' own rows of the dashboard's table, without the pillar they all share."""
    pillar_column = reach.column_index(_("Pillar"))
    keep = [i for i in range(len(reach.columns)) if i != pillar_column]
    rows = tuple(
        Row(cells=tuple(row.cells[i] for i in keep), key=row.key)
        for row in reach.rows
        if row.cells[pillar_column] == pillar.short_name
    )
    return Table(
        slug=f"pilar-{pillar.pk}-jangkauan",
        title=_("%(pillar)s: quota against reached, overlap, exclusion and graduation")
        % {"pillar": pillar.short_name},
        columns=tuple(reach.columns[i] for i in keep),
        rows=rows,
        note=reach.note
        + " "
        + _(
            "Moved up: the household's desil in a later DTSEN load is higher than at "
            "enrolment; measured: participants whose household has a later load."
        ),
    )
