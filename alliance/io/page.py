"""A report page: headings, paragraphs, tables (also written as CSV) and figures (PDF and PNG).

The page is rendered by a Jinja2 template (``alliance/io/templates/report.html.j2``) with
autoescaping on, so text from model files (titles, strategy names) can never inject markup;
only tables rendered by pandas and markup added on purpose with :meth:`Page.raw` pass through
unescaped.

Examples
--------
>>> import tempfile, pandas as pd
>>> folder = tempfile.mkdtemp()
>>> page = Page(folder, "A <small> report")
>>> page.heading("Results")
>>> page.paragraph("Two equilibria & one component.")
>>> page.table(pd.DataFrame({"x": [1, 2]}), "xs", "A table.")
'tables/xs.csv'
>>> text = page.write().read_text()
>>> "A &lt;small&gt; report" in text, "Two equilibria &amp; one component." in text
(True, True)
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["Page"]


def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("alliance.io", "templates"),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


class Page:
    """A report page under construction: headings, paragraphs, tables (CSV too) and figures.

    Parameters
    ----------
    folder : str or Path
        Where the page, ``figures/`` and ``tables/`` are written (created if needed).
    title : str
        The page's title.

    Examples
    --------
    >>> import tempfile
    >>> page = Page(tempfile.mkdtemp(), "A report")
    >>> page.heading("Equilibria")
    >>> page.sections
    [('equilibria', 'Equilibria')]
    """

    def __init__(self, folder: str | Path, title: str) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "figures").mkdir(exist_ok=True)
        (self.folder / "tables").mkdir(exist_ok=True)
        self.title = title
        self.blocks: list[dict[str, Any]] = []
        self.sections: list[tuple[str, str]] = []
        self.files: list[str] = []

    def heading(self, text: str, level: int = 2) -> None:
        """A section heading; level-2 headings also go into the page's navigation bar.

        Parameters
        ----------
        text : str
            The heading (escaped).
        level : int, default 2
            The HTML heading level.

        Examples
        --------
        >>> import tempfile
        >>> page = Page(tempfile.mkdtemp(), "A report")
        >>> page.heading("Credit margin"); page.heading("Details", level=3)
        >>> page.sections
        [('credit-margin', 'Credit margin')]
        """
        anchor = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
        if level == 2:
            self.sections.append((anchor, text))
        self.blocks.append({"kind": "heading", "text": text, "level": level, "anchor": anchor})

    def paragraph(self, text: str, *, css: str | None = None) -> None:
        """A paragraph of plain text (escaped), with an optional CSS class (``note``...).

        Parameters
        ----------
        text : str
            The paragraph.
        css : str, optional
            A CSS class of the template (``"note"``).

        Examples
        --------
        >>> import tempfile
        >>> page = Page(tempfile.mkdtemp(), "A report")
        >>> page.paragraph("1 < 2", css="note")
        >>> "1 &lt; 2" in page.write().read_text()
        True
        """
        self.blocks.append({"kind": "paragraph", "text": text, "css": css})

    def raw(self, markup: str) -> None:
        """Markup added as it is (the caller vouches for it).

        Parameters
        ----------
        markup : str
            HTML, inserted unescaped.

        Examples
        --------
        >>> import tempfile
        >>> page = Page(tempfile.mkdtemp(), "A report")
        >>> page.raw("<em>exact</em>")
        >>> "<em>exact</em>" in page.write().read_text()
        True
        """
        self.blocks.append({"kind": "raw", "markup": markup})

    def table(
        self, frame: pd.DataFrame, name: str, caption: str = "", *, index: bool = True
    ) -> str:
        """Add a table and write it as ``tables/<name>.csv``; return the CSV's relative path.

        Numbers follow the package's one policy, :func:`alliance.numbers.format_number`
        (6 significant digits), in the page and in the CSV alike, so that the file says what
        the page shows. Column names must be snake_case (the names of the results'
        ``to_frame()`` columns), so that a CSV header is the name a script uses.

        Parameters
        ----------
        frame : pandas.DataFrame
            The table.
        name : str
            The CSV file's name, without ``.csv``.
        caption : str, default ""
            The caption under the table.
        index : bool, default True
            Write the index as the first column.

        Returns
        -------
        str
            The CSV's path relative to the page's folder.

        Raises
        ------
        ValueError
            A column or index name that is not snake_case.

        Examples
        --------
        >>> import tempfile
        >>> page = Page(tempfile.mkdtemp(), "Numbers")
        >>> frame = pd.DataFrame({"margin": [15477.0, 10826.7], "el_rate": [2.475191e-05, 0.5]})
        >>> rel = page.table(frame, "numbers", index=False)
        >>> print((page.folder / rel).read_text(), end="")
        margin,el_rate
        15477,2.47519e-05
        10826.7,0.5
        """
        from alliance.numbers import format_number, snake_case

        names = [str(c) for c in frame.columns]
        if index:
            names += [str(n) for n in frame.index.names if n is not None]
        bad = [c for c in names if snake_case(c) != c]
        if bad:
            raise ValueError(
                f"table {name!r} has column names that are not snake_case: {bad} "
                f"(use {[snake_case(c) for c in bad]})"
            )
        rel = f"tables/{name}.csv"
        frame.to_csv(self.folder / rel, index=index, float_format=format_number)
        self.files.append(rel)
        body = frame.to_html(index=index, float_format=format_number, border=0, escape=True)
        self.blocks.append({"kind": "table", "html": body, "caption": caption, "csv": rel})
        return rel

    def figure(self, fig: Any, name: str, caption: str) -> list[str]:
        """Save a figure as ``figures/<name>.pdf`` and ``.png`` and show the PNG.

        Parameters
        ----------
        fig : matplotlib.figure.Figure
            The figure (closed once saved).
        name : str
            The files' name, without suffix.
        caption : str
            The caption under the figure.

        Returns
        -------
        list of str
            The paths of the PDF and PNG files, relative to the page's folder.

        Examples
        --------
        >>> import tempfile
        >>> from matplotlib.figure import Figure
        >>> fig = Figure()
        >>> _ = fig.add_subplot().plot([0, 1], [0, 1])
        >>> sorted(Page(tempfile.mkdtemp(), "A report").figure(fig, "line", "A line."))
        ['figures/line.pdf', 'figures/line.png']
        """
        import matplotlib.pyplot as plt

        from alliance.figures import savefig

        paths = savefig(fig, self.folder / "figures" / name, png=True, dpi=150)
        plt.close(fig)
        rel = [str(p.relative_to(self.folder)) for p in paths]
        self.files.extend(rel)
        png = next(r for r in rel if r.endswith(".png"))
        pdf = next(r for r in rel if r.endswith(".pdf"))
        self.blocks.append({"kind": "figure", "png": png, "pdf": pdf, "caption": caption})
        return rel

    def write(self, name: str = "report.html") -> Path:
        """Render the page with its template and write it; return the path.

        Parameters
        ----------
        name : str, default "report.html"
            The file's name in the page's folder.

        Returns
        -------
        Path
            The file written.

        Examples
        --------
        >>> import tempfile
        >>> Page(tempfile.mkdtemp(), "A report").write().name
        'report.html'
        """
        from alliance import __version__

        html = _environment().get_template("report.html.j2").render(
            title=self.title,
            version=__version__,
            stamp=_dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
            sections=self.sections,
            blocks=self.blocks,
        )
        path = self.folder / name
        path.write_text(html, encoding="utf-8")
        return path
