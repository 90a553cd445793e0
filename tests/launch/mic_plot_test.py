#!/usr/bin/python3
"""mic-plot end to end: every subcommand runs on small outputs that mic makes here (generate → fit →
evaluate, expect, cv, layout; generate-topics → spread → ARIMA; a hand-made scaling CSV), writes a
figure that reads back (size, not blank), and plots exactly the numbers of the file it reads
(--data-out against h5py). Also: mic layout on a supercritical model, SVG/PDF on request, and
one-line errors without a partial figure.

ctest runs it with MIC_BINARY, MIC_PLOT and ARIMA_BASELINE set (tests/launch/CMakeLists.txt)."""
import csv
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.image  # noqa: E402
import numpy as np  # noqa: E402

MIC, PLOT, ARIMA = os.environ["MIC_BINARY"], os.environ["MIC_PLOT"], os.environ["ARIMA_BASELINE"]


def run(*args):
    r = subprocess.run([str(a) for a in args], capture_output=True, text=True)
    if r.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, args))} exited {r.returncode}: {r.stderr}")
    return r.stdout


class MicPlot(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="mic-plot-test-")
        d = cls.path
        run(MIC, "generate", "--graph", "er:24:0.15", "--cascades", "3", "--sigma", "1,0,0;.7,.3,0;0,0,1", "--model", "mic",
            "--beta", "20", "--tau", "2", "--mu-range", "0:0.1", "--w-range", "0:0.05", "--horizon", "600", "--seed", "3",
            "--out", d("data.h5"), "--truth", d("truth.h5"))
        run(MIC, "fit", "--data", d("data.h5"), "--model", "mic", "--beta", "20", "--tau", "2", "--train-fraction", "0.8",
            "--out", d("fit.h5"))
        run(MIC, "evaluate", "--data", d("data.h5"), "--params", d("fit.h5"), "--replicas", "4", "--bins", "12",
            "--out", d("eval.h5"))
        run(MIC, "fit", "--data", d("data.h5"), "--model", "ic", "--tau", "2", "--train-fraction", "0.8",
            "--out", d("fit-ic.h5"))
        run(MIC, "evaluate", "--data", d("data.h5"), "--params", d("fit-ic.h5"), "--replicas", "4", "--out", d("eval-ic.h5"))
        with h5py.File(d("eval.h5")) as f:
            a, b = f.attrs["test_from"], f.attrs["test_to"]
        with open(d("expect.json"), "w") as out:
            out.write(run(MIC, "expect", "--params", d("fit.h5"), "--times", f"{a}:{b}:{(b - a) / 30}", "--json"))
        run(MIC, "layout", "--params", d("fit.h5"), "--data", d("data.h5"), "--out", d("layout.h5"))
        run(MIC, "cv", "--data", d("data.h5"), "--model", "mic,ic", "--betas", "2,20", "--taus", "1,2", "--folds", "2",
            "--out", d("best.h5"))
        run(MIC, "generate-topics", "--users", "40", "--topics", "800", "--days", "12", "--seed", "2", "--out", d("topics.h5"))
        run(MIC, "spread", "--data", d("topics.h5"), "--train-until", "8", "--window", "1", "--periods", "4", "--top-k", "3",
            "--random-k", "6", "--seed", "1", "--out", d("r.h5"))
        run(ARIMA, d("r-truth.csv"), "--predictions-out", d("arima.csv"))
        with open(d("scaling.csv"), "w") as f:
            f.write("kind,ranks,seconds\nfit,1,10\nfit,2,5\nfit,2,6\nfit,4,3\nloglik,1,2\nloglik,2,1.2\n")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    @classmethod
    def path(cls, name):
        return os.path.join(cls.dir, name)

    def plot(self, *args, out="fig.png"):
        """Runs mic-plot with --out and --data-out; returns the plotted numbers."""
        for name in (out, "plotted.json"):
            if os.path.exists(self.path(name)):
                os.unlink(self.path(name))
        run(PLOT, *args, "--out", self.path(out), "--data-out", self.path("plotted.json"))
        with open(self.path("plotted.json")) as f:
            return json.load(f)

    def assert_readable_picture(self, name="fig.png", min_pixels=300):
        image = matplotlib.image.imread(self.path(name))
        self.assertGreaterEqual(min(image.shape[:2]), min_pixels, "too small")
        colours = np.unique((image[..., :3] * 255).astype(np.uint8).reshape(-1, 3), axis=0)
        self.assertGreater(len(colours), 20, "blank or nearly blank")
        self.assertGreater(float(image[..., :3].std()), 0.02, "blank or nearly blank")

    def test_figures_and_reports_call_cascades_by_the_names_of_the_imported_log(self):
        # The generated log written out with hashtags and user names, imported, fitted and evaluated.
        with h5py.File(self.path("data.h5")) as f:
            user, cascade, time = f["events/user"][()], f["events/cascade"][()], f["events/time"][()]
            offsets, sources = f["graph/in_offsets"][()], f["graph/in_source"][()]
        # A long hashtag is shortened with an ellipsis on the figures, whole in the reports.
        tags = ["#ai", "#climate", "#worldcup" + "_final_in_new_jersey" * 3]
        shown = ["#ai", "#climate", tags[2][:27] + "…"]
        with open(self.path("named.csv"), "w") as out:
            out.write("user,hashtag,time\n")
            for u, c, t in zip(user, cascade, time):
                out.write(f"user{u},{tags[c]},{t!r}\n")
        with open(self.path("named-edges.csv"), "w") as out:
            out.write("source,target\n")
            for target in range(len(offsets) - 1):
                for s in sources[offsets[target]:offsets[target + 1]]:
                    out.write(f"user{s},user{target}\n")
        run(MIC, "import", "--events", self.path("named.csv"), "--edges", self.path("named-edges.csv"),
            "--allow-edge-only-users", "--out", self.path("named.h5"))
        run(MIC, "fit", "--data", self.path("named.h5"), "--model", "mic", "--beta", "20", "--tau", "2",
            "--out", self.path("named-fit.h5"))
        report = json.loads(run(MIC, "evaluate", "--data", self.path("named.h5"), "--params", self.path("named-fit.h5"),
                                "--replicas", "2", "--bins", "6", "--out", self.path("named-eval.h5"), "--json"))
        self.assertEqual(report["cascade_names"], sorted(tags))  # ids follow the names' byte order
        text = run(MIC, "evaluate", "--data", self.path("named.h5"), "--params", self.path("named-fit.h5"),
                   "--replicas", "2", "--bins", "6")
        self.assertIn("#worldcup", text)
        got = self.plot("intensity", "--evaluation", self.path("named-eval.h5"))
        self.assertEqual(got["labels"], [shown[c] for c in got["cascades"]])
        got = self.plot("intensity", "--evaluation", self.path("named-eval.h5"), "--cascades", "#climate", "0")
        self.assertEqual(got["cascades"], [1, 0])  # by name or by id
        r = subprocess.run([PLOT, "intensity", "--evaluation", self.path("named-eval.h5"), "--cascades", "#nope",
                            "--out", self.path("nope.png")], capture_output=True, text=True)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("'#nope': not a cascade id or name", r.stderr)
        self.assertFalse(os.path.exists(self.path("nope.png")))
        run(MIC, "layout", "--params", self.path("named-fit.h5"), "--data", self.path("named.h5"),
            "--out", self.path("named-layout.h5"))
        got = self.plot("layout", "--layout", self.path("named-layout.h5"))
        self.assertEqual(got["cascade_labels"], [f"c{c}: {t}" for c, t in enumerate(shown)])
        self.assert_readable_picture()

    def test_chinese_and_japanese_names_are_drawn_with_a_font_that_has_them(self):
        # launch/install-deps installs WenQuanYi Micro Hei; mic-plot falls back to it for glyphs that
        # DejaVu Sans lacks, so matplotlib has no glyph to warn about and mic-plot no note to print.
        if not os.path.isfile("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"):
            self.skipTest("fonts-wqy-microhei is not installed (launch/install-deps installs it)")
        with open(self.path("cjk.csv"), "w") as out:
            out.write("user,cascade,time\n")
            for k in range(240):
                out.write(f"用户{k % 7},{['#微博热搜', '#天気', '#news'][k % 3]},{(k * 7.3) % 100:.3f}\n")
        run(MIC, "import", "--events", self.path("cjk.csv"), "--complete-graph", "--out", self.path("cjk.h5"))
        run(MIC, "fit", "--data", self.path("cjk.h5"), "--model", "ic", "--tau", "1", "--out", self.path("cjk-fit.h5"))
        run(MIC, "evaluate", "--data", self.path("cjk.h5"), "--params", self.path("cjk-fit.h5"), "--replicas", "2",
            "--out", self.path("cjk-eval.h5"))
        r = subprocess.run([PLOT, "intensity", "--evaluation", self.path("cjk-eval.h5"), "--out", self.path("cjk.png")],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("missing from", r.stderr)
        self.assertNotIn("no installed font", r.stderr)
        self.assert_readable_picture("cjk.png")

    def test_intensity_draws_the_report_curves_and_eq_28_of_mic_expect(self):
        got = self.plot("intensity", "--evaluation", self.path("eval.h5"), "--expect", self.path("expect.json"))
        self.assert_readable_picture()
        with h5py.File(self.path("eval.h5")) as f:
            edges = f["simulation/bin_edges"][()]
            cascades = got["cascades"]
            np.testing.assert_array_equal(got["time"], 0.5 * (edges[:-1] + edges[1:]))
            np.testing.assert_array_equal(got["real"], f["simulation/real_intensity"][()][cascades])
            np.testing.assert_array_equal(got["simulated_mean"], f["simulation/simulated_intensity"][()][cascades])
            np.testing.assert_array_equal(got["simulated_sd"], f["simulation/simulated_intensity_sd"][()][cascades])
        with open(self.path("expect.json")) as f:
            expected = json.load(f)["expected_intensity"]["per_cascade"]
        self.assertEqual(sorted(cascades), [0, 1, 2])
        for i, c in enumerate(cascades):
            self.assertEqual(got["expected"][i], expected[c])

    def test_intensity_without_eq_28_still_draws(self):
        got = self.plot("intensity", "--evaluation", self.path("eval.h5"))
        self.assert_readable_picture()
        self.assertEqual(got["expected"], [])

    def test_ranked_draws_every_model_with_the_report_numbers(self):
        got = self.plot("ranked", "--evaluation", self.path("eval.h5"), self.path("eval-ic.h5"))
        self.assert_readable_picture()
        for path, model in zip(("eval.h5", "eval-ic.h5"), got["models"]):
            with h5py.File(self.path(path)) as f:
                s = f["simulation"]
                np.testing.assert_array_equal(got["real_user_ranked"], s["real_user_ranked"][()])
                np.testing.assert_array_equal(got["real_cascade_ranked"], s["real_cascade_ranked"][()])
                for key in ("simulated_user_ranked", "simulated_user_ranked_sd", "simulated_cascade_ranked",
                            "simulated_cascade_ranked_sd"):
                    np.testing.assert_array_equal(model[key], s[key][()])
        self.assertTrue(got["models"][1]["label"].startswith("ic"))

    def test_layout_draws_both_panels_at_the_coordinates_of_mic_layout(self):
        got = self.plot("layout", "--layout", self.path("layout.h5"))
        self.assert_readable_picture()
        self.assertEqual(sorted(got["panels"]), ["data", "model"])
        with h5py.File(self.path("layout.h5")) as f:
            for panel in ("data", "model"):
                for key in ("cascade_xy", "user_xy", "user_size", "cascade_size", "user_edges", "cascade_edges", "links"):
                    np.testing.assert_array_equal(np.asarray(got["panels"][panel][key]).reshape(f[panel][key].shape),
                                                  f[panel][key][()], err_msg=f"{panel}/{key}")
            # The data panel: the dataset's graph and Σ = I.
            self.assertEqual(len(f["data/cascade_edges"]), 0)
            with h5py.File(self.path("data.h5")) as data:
                self.assertEqual(len(f["data/user_edges"]), len(data["graph/in_source"]))

    def test_mic_layout_of_a_supercritical_model_uses_one_generation(self):
        shutil.copy(self.path("fit.h5"), self.path("hot.h5"))
        with h5py.File(self.path("hot.h5"), "r+") as f:
            f["W/weight"][...] = f["W/weight"][()] * 200 + 0.5  # ρ(W)·τ far above 1
        report = json.loads(run(MIC, "layout", "--params", self.path("hot.h5"), "--out", self.path("hot-layout.h5"), "--json"))
        self.assertGreater(report["rho_tau"], 1)
        self.assertIn("one generation", report["mixture_method"])
        with h5py.File(self.path("hot-layout.h5")) as f:
            self.assertTrue(np.all(np.isfinite(f["model/user_xy"][()])))
            np.testing.assert_allclose(f["model/user_mixture"][()].sum(axis=1), 1.0, rtol=1e-12)
            self.assertNotIn("data", f)
        self.plot("layout", "--layout", self.path("hot-layout.h5"))
        self.assert_readable_picture()

    def test_mic_layout_refuses_bad_inputs_with_one_line_and_no_file(self):
        cases = [(["--params", self.path("fit.h5"), "--data", self.path("topics.h5")], 1, "fit.h5"),
                 (["--params", self.path("fit.h5"), "--edge-fraction", "2"], 2, "--edge-fraction must be in [0, 1]"),
                 (["--params", self.path("data.h5")], 1, "data.h5")]
        for args, code, part in cases:
            r = subprocess.run([MIC, "layout", *args, "--out", self.path("bad-layout.h5")], capture_output=True, text=True)
            self.assertEqual(r.returncode, code, r.stderr)
            self.assertEqual(r.stderr.count("\n"), 1, r.stderr)
            self.assertIn(part, r.stderr)
            self.assertFalse(os.path.exists(self.path("bad-layout.h5")))

    def test_cv_heat_map_holds_the_table_of_mic_cv(self):
        got = self.plot("cv", "--cv", self.path("best.h5"))
        self.assert_readable_picture()
        with h5py.File(self.path("best.h5")) as f:
            scores = f["cv/scores"][()]
        self.assertEqual(sorted(got["models"]), ["ic", "mic"])
        for variant, name in ((0, "mic"), (3, "ic")):
            m = got["models"][name]
            for _, beta, tau, loglik, _, _ in scores[scores[:, 0] == variant]:
                self.assertEqual(m["validation_loglik"][m["beta"].index(beta)][m["tau"].index(tau)], loglik)
        best = scores[np.argmax(scores[:, 3])]
        self.assertEqual((got["best"]["beta"], got["best"]["tau"], got["best"]["loglik"]), tuple(best[1:4]))

    def test_spread_draws_truth_idm_ctmp_ic_and_arima_per_user(self):
        got = self.plot("spread", "--spread", self.path("r.h5"), "--arima", self.path("arima.csv"), "--users", "3")
        self.assert_readable_picture()
        arima = {}
        with open(self.path("arima.csv")) as f:
            for row in csv.DictReader(f):
                arima[(row["set"], int(row["user"]), int(row["period"]))] = float(row["predicted_arima"])
        with h5py.File(self.path("r.h5")) as f:
            for s in ("top", "random"):
                # Random users: only those who post in some test period (the others are 0 everywhere).
                keep = np.arange(len(f[s]["users"])) if s == "top" else np.flatnonzero(
                    (f[s]["predicted_ctmp"][()] > 0).any(axis=1) | (f[s]["observed"][()] > 0).any(axis=1))
                keep = keep[:3]
                users = f[s]["users"][()][keep]
                self.assertGreater(len(users), 0)
                self.assertEqual(got[s]["users"], users.tolist())
                for key in ("observed", "predicted_ctmp", "predicted_ic"):
                    np.testing.assert_array_equal(got[s][key], f[s][key][()][keep])
                for i, u in enumerate(users):
                    self.assertEqual(got[s]["predicted_arima"][i], [arima[(s, int(u), d)] for d in range(4)])

    def test_scaling_averages_repeats_and_computes_the_efficiency(self):
        got = self.plot("scaling", "--csv", self.path("scaling.csv"))
        self.assert_readable_picture()
        self.assertEqual(got["fit"]["ranks"], [1, 2, 4])
        self.assertEqual(got["fit"]["seconds_mean"], [10, 5.5, 3])
        self.assertAlmostEqual(got["fit"]["efficiency"][1], 10 / (2 * 5.5), places=12)
        self.assertAlmostEqual(got["fit"]["seconds_sd"][1], np.std([5, 6], ddof=1), places=12)
        self.assertEqual(got["loglik"]["ranks"], [1, 2])

    def test_scaling_separates_weak_from_strong_runs(self):
        with open(self.path("weak.csv"), "w") as f:
            f.write("kind,scaling,ranks,users,seconds\nfit,strong,1,100,8\nfit,strong,2,100,5\nfit,weak,1,100,8\nfit,weak,2,200,10\n")
        got = self.plot("scaling", "--csv", self.path("weak.csv"))
        self.assert_readable_picture()
        self.assertEqual(got["fit (strong)"]["efficiency"], [1, 0.8])
        self.assertEqual(got["fit (weak)"]["efficiency"], [1, 0.8])

    def test_scaling_reads_a_csv_that_a_spreadsheet_saved_with_a_byte_order_mark(self):
        with open(self.path("bom.csv"), "w", encoding="utf-8-sig") as f:
            f.write("kind,ranks,seconds\nfit,1,10\nfit,2,5\n")
        got = self.plot("scaling", "--csv", self.path("bom.csv"))
        self.assertEqual(got["fit"]["ranks"], [1, 2])

    def test_svg_and_pdf_are_written_on_request(self):
        for ext, magic in ((".svg", b"<?xml"), (".pdf", b"%PDF")):
            self.plot("scaling", "--csv", self.path("scaling.csv"), out="fig" + ext)
            with open(self.path("fig" + ext), "rb") as f:
                self.assertEqual(f.read(len(magic)), magic)

    def test_a_bad_input_is_one_line_with_a_nonzero_exit_and_no_figure(self):
        cases = [(["intensity", "--evaluation", self.path("data.h5")], 1, "missing dataset /simulation/bin_edges"),
                 (["layout", "--layout", self.path("nothing.h5")], 1, "no such file"),
                 (["cv", "--cv", self.path("scaling.csv")], 1, "not an HDF5 file"),
                 (["scaling", "--csv", self.path("arima.csv")], 1, "missing column(s) kind, ranks, seconds"),
                 (["intensity"], 2, "the following arguments are required")]
        for args, code, part in cases:
            r = subprocess.run([PLOT, *args, "--out", self.path("bad.png")], capture_output=True, text=True)
            self.assertEqual(r.returncode, code, r.stderr)
            self.assertEqual(r.stderr.count("\n"), 1, r.stderr)
            self.assertTrue(r.stderr.startswith("mic-plot: error: "), r.stderr)
            self.assertIn(part, r.stderr)
            self.assertFalse(os.path.exists(self.path("bad.png")))
            self.assertEqual([n for n in os.listdir(self.dir) if n.startswith(".mic-plot-")], [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
