"""Matplotlib set up once for server-side SVG: no display, fixed ids, readable fonts.

Every figure of the dashboard, the year-end PDF and the .docx is drawn through
`figure_svg`, so the three agree and the same data gives byte-identical SVG (which the
cache relies on).
"""

import io

import matplotlib

matplotlib.use("Agg")  # no display on a server; set before pyplot is imported

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

# Okabe–Ito: told apart by the colour-blind; paired with hatches where series stack.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
# A sequential map that stays ordered in grey and for every kind of colour blindness.
SEQUENTIAL = "cividis"

plt.rcParams.update(
    {
        "svg.hashsalt": "tkpk",  # stable ids: the same figure gives the same bytes
        "svg.fonttype": "none",  # text stays text: selectable, searchable, small
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    }
)


def new_figure(width: float = 6.4, height: float = 3.2) -> Figure:
    """A figure not registered with pyplot: nothing global to close, safe in threads."""
    return Figure(figsize=(width, height), layout="constrained")


def figure_svg(figure: Figure) -> str:
    """The figure as an SVG document without the XML prolog (to be inlined in HTML)."""
    stream = io.StringIO()
    figure.savefig(stream, format="svg", metadata={"Date": None, "Creator": None})
    text = stream.getvalue()
    return text[text.index("<svg") :]
