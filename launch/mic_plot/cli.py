"""`mic-plot SUBCOMMAND …`: the command line, one-line errors and exit codes (1 bad input, 2 bad usage)."""
import argparse
import sys

from . import bilayer, cv_heatmap, intensity, ranked, scaling, spread
from .common import PlotError, UsageError, save, style, write_data_out

FIGURES = [intensity, ranked, bilayer, cv_heatmap, spread, scaling]

EPILOG = """examples:
  mic-plot intensity --evaluation eval.h5 --expect expect.json --out intensity.png
  mic-plot ranked --evaluation eval-mic.h5 eval-ic.h5 --out ranked.png
  mic-plot layout --layout layout.h5 --out bilayer.png
  mic-plot cv --cv best.h5 --out cv.png
  mic-plot spread --spread r.h5 --arima r-arima.csv --out spread.png
  mic-plot scaling --csv scaling.csv --out scaling.pdf

Every subcommand has --help; the format follows --out's extension (.png, .svg, .pdf)."""


class Parser(argparse.ArgumentParser):
    """argparse that reports a bad command line as one line (UsageError) instead of usage + message."""

    def error(self, message):
        raise UsageError(f"{self.prog}: {message}; see {self.prog} --help")


def build_parser():
    parser = Parser(prog="mic-plot", description="The MIC and IDM-CTMP papers' figures from mic's HDF5 outputs.",
                    epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="SUBCOMMAND", parser_class=Parser)
    for figure in FIGURES:
        sub = commands.add_parser(figure.NAME, help=figure.HELP, description=figure.__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
        figure.add_arguments(sub)
        sub.add_argument("--out", required=True, help="the figure to write: .png, .svg or .pdf")
        sub.add_argument("--title", help="a title over the figure")
        sub.add_argument("--dpi", type=int, default=150, help="resolution of a PNG (default 150)")
        sub.add_argument("--data-out", metavar="JSON", help="also write the plotted numbers to this JSON file")
        sub.set_defaults(figure=figure)
    return parser


def main(argv):
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            raise UsageError("mic-plot: give a subcommand (intensity, ranked, layout, cv, spread, scaling); see mic-plot --help")
        style()
        fig, plotted = args.figure.draw(args)
        if args.title:
            fig.suptitle(args.title)
        save(fig, args.out, args.dpi)
        write_data_out(args.data_out, plotted)
        return 0
    except UsageError as e:
        print(f"mic-plot: error: {e}", file=sys.stderr)
        return 2
    except PlotError as e:
        print(f"mic-plot: error: {e}", file=sys.stderr)
        return 1
