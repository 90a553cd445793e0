// `mic expect`: the closed forms of Sec. 6 for a params file.
#include <cstdio>
#include <sstream>

#include "engine/distributed/checked_section.hpp"
#include "engine/simulation/expected_activity.hpp"
#include "io/params_file.hpp"
#include "launch/cli/console.hpp"
#include "launch/commands/commands.hpp"
#include "launch/options/expect_options.hpp"

namespace mic::cli {
namespace {

const subcommand_help help{
    "expect",
    "--params P.h5 --times a:b:step [--json]",
    "Closed-form expected intensity E[lambda(t)] (Eq. 28), expected events E[n(t)] (Eq. 29), the stationary "
    "cascade split (Eq. 30) and the stability figure rho(W)*tau.",
    "Expectations start from an empty history at t = 0 and are summed over users, in total and per\n"
    "cascade. Totals are exact for every model. Per cascade they are exact for linear mixing (linmic,\n"
    "ic: the linear ODE dL/dt = -(L - M)/tau + W^T L Sigma) and Eq. 30's stationary approximation,\n"
    "E[lambda_u(t)] softmax(beta (B M Sigma)_u), for Boltzmann mixing (mic, cc). B = (I - tau W^T)^-1 is\n"
    "applied by sparse iterative solves and exp(-B^-1 t/tau) by uniformisation: no dense U×U matrix.\n"
    "Models with rho(W)*tau >= 1 have no stationary regime and are refused. The work grows with t/tau\n"
    "(about t/tau sparse products with W): times that would take more than ~5e9 operations (~15 s) are\n"
    "refused, naming the largest t within reach.",
    "  mic expect --params truth.h5 --times 0:500:50\n"
    "  mic expect --params fit.h5 --times 0:30:1 --json > expected.json",
};

nlohmann::json per_cascade_series(const std::vector<double>& values, std::size_t n_times, std::size_t C) {
    auto out = nlohmann::json::array();  // out[c][i]: cascade c at time i
    for (std::size_t c = 0; c < C; ++c) {
        auto series = nlohmann::json::array();
        for (std::size_t i = 0; i < n_times; ++i) series.push_back(values[i * C + c]);
        out.push_back(series);
    }
    return out;
}

nlohmann::json to_json(const expected_activity& a, const model_params& p) {
    const std::size_t C = std::size_t(p.n_cascades), T = a.times.size();
    return {{"n_users", p.n_users},
            {"n_cascades", p.n_cascades},
            {"model", std::string(name_of(p.variant))},
            {"spectral_radius", a.radius.value},
            {"spectral_radius_upper_bound", a.radius.upper_bound},
            {"stability", a.stability},
            {"stable", true},
            {"per_cascade_method", a.per_cascade_exact ? "exact (linear mixing)" : "Eq. 30 (stationary approximation)"},
            {"times", a.times},
            {"expected_intensity", {{"total", a.total_intensity}, {"per_cascade", per_cascade_series(a.intensity, T, C)}}},
            {"expected_n_events", {{"total", a.total_count}, {"per_cascade", per_cascade_series(a.count, T, C)}}},
            {"stationary_intensity", {{"total", a.stationary_total}, {"per_cascade", a.stationary}}}};
}

std::string to_text(const expected_activity& a, const model_params& p) {
    const std::size_t C = std::size_t(p.n_cascades);
    std::ostringstream t;
    char line[256];
    std::snprintf(line, sizeof line, "rho(W)*tau = %.6g (stable); per cascade: %s\n", a.stability,
                  a.per_cascade_exact ? "exact (linear mixing)" : "Eq. 30 (stationary approximation)");
    t << line << "          t       E[lambda(t)]            E[n(t)]\n";
    for (std::size_t i = 0; i < a.times.size(); ++i) {
        std::snprintf(line, sizeof line, "%11.6g %18.6g %18.6g\n", a.times[i], a.total_intensity[i], a.total_count[i]);
        t << line;
    }
    t << "\nstationary intensity (Eq. 30)\n";
    for (std::size_t c = 0; c < C; ++c) {
        std::snprintf(line, sizeof line, "  cascade %-6zu %14.6g\n", c, a.stationary[c]);
        t << line;
    }
    std::snprintf(line, sizeof line, "  total          %14.6g\n", a.stationary_total);
    t << line;
    return t.str();
}

int run(std::span<const std::string> args, const communicator& comm) {
    expect_options o;
    const auto parsed = parse_on_all_ranks(help, describe_options(o), nullptr, args, comm);
    if (!parsed) return 0;
    console out(comm, "expect");
    // Rank 0 computes (sparse products over all users); the other ranks learn the outcome.
    run_checked_on_root(comm, [&] {
        const model_params p = io::read_params(o.params);
        expected_activity a;
        try {
            a = expect_activity(p, o.times);
        } catch (const input_error& e) {  // name the file: "P.h5: closed forms: rho(W)*tau = … >= 1 …"
            throw input_error(o.params.string() + ": " + e.what());
        }
        if (parsed->json) out.print_json(to_json(a, p));
        else out.print(to_text(a, p));
    });
    return 0;
}

} // namespace

subcommand expect_command() {
    return {help, run, [] {
                 expect_options o;
                 return option_names(describe_options(o));
             }};
}

} // namespace mic::cli
