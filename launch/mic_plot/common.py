"""What every figure shares: one-line errors, reading mic's HDF5 files, the paper style, and writing
the figure (atomically, in the format of its extension) and the plotted numbers (--data-out)."""
import json
import math
import os
import re
import sys
import tempfile
import warnings

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


class PlotError(Exception):
    """A problem with what the user gave: printed as one line, exit code 1."""


class UsageError(PlotError):
    """A bad command line: one line, exit code 2."""


# Fonts for the names of real logs beyond Latin, Greek and Cyrillic (DejaVu Sans): matplotlib (3.6+)
# takes a glyph from the first family of font.family that has it. Only installed ones are listed
# (launch/install-deps installs WenQuanYi Micro Hei for Chinese, Japanese and Korean); each is added
# from its Debian path when matplotlib's font cache predates its installation.
FALLBACK_FONTS = (
    ("WenQuanYi Micro Hei", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    ("Noto Sans CJK JP", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    ("Droid Sans Fallback", "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
)
MISSING_GLYPH = re.compile(r"Glyph (\d+) .*missing from")


def font_families():
    from matplotlib import font_manager

    families = ["DejaVu Sans"]
    for name, path in FALLBACK_FONTS:
        if name not in {f.name for f in font_manager.fontManager.ttflist} and os.path.isfile(path):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
        if name in {f.name for f in font_manager.fontManager.ttflist}:
            families.append(name)
    return families


def style():
    """Fonts and lines readable in a paper at the size the figure is saved."""
    plt.rcParams.update({
        "font.size": 11, "axes.titlesize": 12, "axes.labelsize": 12, "legend.fontsize": 10,
        "xtick.labelsize": 10, "ytick.labelsize": 10, "lines.linewidth": 1.6, "axes.spines.top": False,
        "axes.spines.right": False, "savefig.bbox": "tight", "figure.constrained_layout.use": True,
        "font.family": font_families(),
    })


class Hdf5:
    """A mic output file opened read-only; `what` says which mic command writes it (for the messages)."""

    def __init__(self, path, what):
        import h5py  # here, so that --help works without h5py

        self.path, self.what = path, what
        if not os.path.isfile(path):
            raise PlotError(f"{path}: no such file; write it with {what}")
        try:
            self.file = h5py.File(path, "r")
        except OSError as e:
            raise PlotError(f"{path}: not an HDF5 file or unreadable ({str(e).splitlines()[0]}); write it with {what}")

    def has(self, name):
        return name in self.file

    def array(self, name):
        if name not in self.file:
            raise PlotError(f"{self.path}: missing dataset {name} — is it written by {self.what}?")
        return np.asarray(self.file[name][()])

    def attr(self, name, default=None):
        value = self.file.attrs.get(name, default)
        return value.decode() if isinstance(value, bytes) else value

    def cascade_names(self, n_cascades):
        """The dataset's names of the cascades (/names/cascades, e.g. hashtags), or None when the file
        carries none (or not one per cascade)."""
        if "/names/cascades" in self.file:
            names = [n.decode() if isinstance(n, bytes) else str(n) for n in self.file["/names/cascades"][()]]
            if len(names) == n_cascades:
                return names
        return None

    def cascade_labels(self, n_cascades):
        """What to call each cascade on a figure: its name (shortened to LABEL_WIDTH characters) when the
        file has names, else "c0", "c1", …"""
        names = self.cascade_names(n_cascades)
        return [shorten(n) for n in names] if names else [f"c{c}" for c in range(n_cascades)]

    def cascade_ids(self, tokens, n_cascades):
        """--cascades: each token a cascade's name (when the file has names) or else its id (0 … C−1)."""
        names = self.cascade_names(n_cascades) or []
        ids = []
        for token in tokens:
            if token in names:  # a name first: names may be numbers (a cascade_id column)
                c = names.index(token)
            elif token.lstrip("-").isdigit():
                c = int(token)
                if not 0 <= c < n_cascades:
                    raise PlotError(f"--cascades {token}: {self.path} has cascades 0..{n_cascades - 1}")
            else:
                hint = (f"names such as {', '.join(repr(n) for n in names[:3])}" if names else "no names, so give ids")
                raise PlotError(f"--cascades {token!r}: not a cascade id or name of {self.path} (it has "
                                f"{n_cascades} cascades and {hint})")
            ids.append(c)
        return ids

    def require_attr(self, name):
        if name not in self.file.attrs:
            raise PlotError(f"{self.path}: missing attribute {name} — is it written by {self.what}?")
        return self.attr(name)


LABEL_WIDTH = 28


def shorten(label, width=LABEL_WIDTH):
    """A label of at most `width` characters: a longer one keeps its start and ends with "…"."""
    return label if len(label) <= width else label[:width - 1] + "…"


def time_label(unit):
    return f"time ({unit})" if unit else "time (dataset time units)"


def per_time_label(unit):
    return f"events per {unit}" if unit else "events per time unit"


def save(fig, out, dpi):
    """Writes `fig` to `out` through a temporary in the same directory (no partial file on failure)."""
    ext = os.path.splitext(out)[1].lower()
    if ext not in FORMATS:
        raise UsageError(f"--out {out}: give a .png, .svg or .pdf file name")
    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        raise PlotError(f"--out {out}: the directory {folder} does not exist; create it first")
    fd, temp = tempfile.mkstemp(prefix=".mic-plot-", suffix=ext, dir=folder)
    os.close(fd)
    umask = os.umask(0)  # mkstemp makes the file private; give it the permissions of a new file
    os.umask(umask)
    os.chmod(temp, 0o666 & ~umask)
    try:
        # A glyph no installed font has is drawn as a box, and matplotlib warns once per glyph: one note.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.savefig(temp, format=FORMATS[ext], dpi=dpi)
        missing = sorted({chr(int(m.group(1))) for w in caught if (m := MISSING_GLYPH.match(str(w.message)))})
        for w in caught:
            if not MISSING_GLYPH.match(str(w.message)):
                warnings.showwarning(w.message, w.category, w.filename, w.lineno)
        if missing:
            print(f"mic-plot: note: {len(missing)} character(s) of the names are in no installed font and are drawn as "
                  f"boxes ({' '.join(missing[:8])}{' …' if len(missing) > 8 else ''}); install fonts-wqy-microhei "
                  "(Chinese, Japanese, Korean) or fonts-noto", file=sys.stderr)
        os.replace(temp, out)
    except Exception:
        os.unlink(temp)
        raise
    finally:
        plt.close(fig)


def jsonable(value):
    """numpy arrays and scalars as JSON lists and numbers (NaN and infinities as null)."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, (np.floating, float)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value


def write_data_out(path, plotted):
    if not path:
        return
    with open(path, "w") as f:
        json.dump(jsonable(plotted), f)
        f.write("\n")
