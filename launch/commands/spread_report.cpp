#include "launch/commands/spread_report.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "engine/support/text_format.hpp"

namespace mic::cli {
namespace {

nlohmann::json metric(double mae, double rmse, const average_errors& a) {
    return {{"mae", mae},
            {"rmse", rmse},
            {"mase", a.n_users_mase > 0 ? nlohmann::json(a.mase) : nlohmann::json(nullptr)},
            {"n_users", a.n_users},
            {"n_users_mase", a.n_users_mase}};
}

std::string cell(double x, bool defined = true) {
    char text[32];
    if (!defined || !std::isfinite(x)) return "         -";
    std::snprintf(text, sizeof text, "%10.4f", x);
    return text;
}

} // namespace

nlohmann::json spread_summary_json(const spread_results& r, const spread_options& o, const std::filesystem::path& csv,
                                   int n_ranks, double seconds, const collective_counts& collectives) {
    nlohmann::json metrics;
    for (const auto& set: r.sets) {
        metrics["idm_ctmp"][set.name] = metric(set.average_ctmp.mae, set.average_ctmp.rmse, set.average_ctmp);
        metrics["ic"][set.name] = metric(set.average_ic.mae, set.average_ic.rmse, set.average_ic);
    }
    return {{"data", o.data.string()},         {"out", o.out.string()},
            {"truth_csv", csv.string()},        {"train_until", r.train_until},
            {"window", r.window},               {"periods", r.periods},
            {"training_periods", r.training_periods}, {"method", r.method},
            {"n_users", r.n_users},           {"n_edges", r.n_edges},
            {"n_transitions", r.n_transitions}, {"metrics", metrics},
            {"n_ranks", n_ranks},               {"seconds", seconds},
            {"collectives", collectives.calls}, {"collective_bytes", collectives.bytes}};
}


std::string spread_summary_text(const spread_results& r, const spread_options& o, const std::filesystem::path& csv) {
    std::ostringstream t;
    t << "IDM-CTMP on " << o.data.string() << ": " << with_thousands(r.n_users) << " users, "
      << with_thousands(r.n_edges) << " influence edges, " << with_thousands(r.n_transitions)
      << " transitions up to t = " << shortest(r.train_until) << "\n"
      << "test: " << r.periods << " periods of " << shortest(r.window) << " " << r.time_unit << "; MASE scale from "
      << r.training_periods << " training periods\n\n";
    char line[160];
    std::snprintf(line, sizeof line, "%-10s %32s   %32s\n", "", ("top-" + std::to_string(r.sets[0].users.size())).c_str(),
                  ("random-" + std::to_string(r.sets[1].users.size())).c_str());
    t << line;
    std::snprintf(line, sizeof line, "%-10s %10s %10s %10s   %10s %10s %10s\n", "method", "MAE", "RMSE", "MASE", "MAE",
                  "RMSE", "MASE");
    t << line;
    for (int m = 0; m < 2; ++m) {
        t << (m == 0 ? "IDM-CTMP  " : "IC        ");
        for (const auto& set: r.sets) {
            const auto& a = m == 0 ? set.average_ctmp : set.average_ic;
            t << " " << cell(a.mae) << " " << cell(a.rmse) << " " << cell(a.mase, a.n_users_mase > 0) << "  ";
        }
        t << "\n";
    }
    t << "\nwrote " << o.out.string() << " and " << csv.string() << "\n";
    return t.str();
}


} // namespace mic::cli
