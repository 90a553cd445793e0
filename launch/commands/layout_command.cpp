// `mic layout`: the bi-layer picture of the MIC paper's Fig. 8 as coordinates for mic-plot
// (engine/layout/bilayer_layout.hpp). The work is small (a force layout of C cascades and O(U + E)
// placements), so rank 0 reads, computes and writes, like `mic expect`; the other ranks learn the outcome.
#include <cstdio>
#include <numeric>
#include <optional>
#include <sstream>

#include "engine/distributed/checked_section.hpp"
#include "engine/layout/user_mixture.hpp"
#include "engine/support/text_format.hpp"
#include "io/atomic_output.hpp"
#include "io/dataset_file.hpp"
#include "io/layout_file.hpp"
#include "io/output_paths.hpp"
#include "io/params_file.hpp"
#include "launch/cli/console.hpp"
#include "launch/commands/commands.hpp"
#include "launch/options/layout_options.hpp"

namespace mic::cli {
namespace {

const subcommand_help help{
    "layout",
    "--params P.h5 [--data D.h5] --out L.h5 [options] [--json]",
    "Bi-layer layout of users over cascades (the MIC paper's Fig. 8) from fitted parameters, for mic-plot.",
    "Model panel: cascades placed by a force layout of Sigma's symmetric part (edges: sigma_sc >= --min-sigma);\n"
    "each user over the cascade layer at the barycentre of its cascade mixture: the model's mixing f(.|nu) at\n"
    "its mean context intensity nu = mu_u + Sigma^T tau (W^T R)_u, R the stationary per-cascade rates (exact\n"
    "for linear mixing, B M for Boltzmann; one generation, R = M, for supercritical models, rho(W)*tau >= 1);\n"
    "user edges w_vu >= --edge-fraction * max w; cross-layer links to the --links users with the largest\n"
    "mu_u^c of each cascade.\n"
    "With --data, the raw-data panel too: the graph's edges, Sigma = I (cascades on a regular polygon), each\n"
    "user's empirical cascade shares, links to the most active users of each cascade; node sizes are event\n"
    "counts (without --data, the model's expected rates). Deterministic for a given --seed. The file's layout\n"
    "is in io/layout_file.hpp; `mic-plot layout --layout L.h5 --out fig.png` draws it.",
    "  mic layout --params fit.h5 --data data.h5 --out layout.h5\n"
    "  mic-plot layout --layout layout.h5 --out bilayer.png",
};

nlohmann::json json_of(const layout_options& o, const user_mixture& m, const model_params& p, const layout_panel& model,
                       const std::optional<layout_panel>& data) {
    nlohmann::json j{{"out", o.out.string()},
                     {"params", o.params.string()},
                     {"model", std::string(name_of(p.variant))},
                     {"n_users", p.n_users},
                     {"n_cascades", p.n_cascades},
                     {"rho_tau", m.rho_tau},
                     {"mixture_method", describe(m, p)},
                     {"model_panel", {{"user_edges", model.user_edges.size()}, {"cascade_edges", model.cascade_edges.size()},
                                      {"links", model.links.size()}}}};
    if (data)
        j["data_panel"] = {{"user_edges", data->user_edges.size()}, {"cascade_edges", data->cascade_edges.size()},
                           {"links", data->links.size()}};
    return j;
}

std::string text_of(const nlohmann::json& j) {
    char rho[32];
    std::snprintf(rho, sizeof rho, "%.4g", j["rho_tau"].get<double>());
    std::ostringstream t;
    t << "bi-layer layout of " << j["params"].get<std::string>() << " (" << j["model"].get<std::string>() << ", "
      << j["n_users"] << " users, " << j["n_cascades"] << " cascades, rho(W)*tau = " << rho
      << ")\n  user mixtures: " << j["mixture_method"].get<std::string>() << "\n";
    for (const char* panel: {"model_panel", "data_panel"}) {
        if (!j.contains(panel)) continue;
        const auto& p = j[panel];
        t << "  " << (panel == std::string("model_panel") ? "model" : "data ") << " panel: " << p["user_edges"] << " user edges, "
          << p["cascade_edges"] << " cascade edges, " << p["links"] << " cross-layer links\n";
    }
    t << "wrote " << j["out"].get<std::string>() << "\n";
    return t.str();
}

int run(std::span<const std::string> args, const communicator& comm) {
    layout_options o;
    const auto parsed = parse_on_all_ranks(help, describe_options(o), nullptr, args, comm);
    if (!parsed) return 0;
    console out(comm, "layout");
    run_checked_on_root(comm, [&] {
        check(o);
        io::check_outputs_apart({{"--out", o.out}}, {{"--params", o.params}, {"--data", o.data}});
        io::atomic_output output(o.out, o.force);
        const model_params params = io::read_params(o.params);
        const user_mixture mixture = model_mixture(params);
        std::vector<double> counts;
        std::optional<layout_panel> data_side;
        std::string time_unit;
        std::vector<std::string> cascade_names;
        if (!o.data.empty()) {
            const dataset data = io::read_dataset(o.data);
            std::vector<std::int32_t> all(std::size_t(data.header.n_users));
            std::iota(all.begin(), all.end(), 0);
            check_params_match(params, make_shard(data, all), o.params.string() + " against " + o.data.string());
            counts = event_counts(data.events, data.header.n_users, data.header.n_cascades);
            data_side = data_panel(data.graph, counts, data.header.n_cascades, o.layout);
            time_unit = data.header.time_unit;
            cascade_names = data.cascade_names;
        }
        const layout_panel model_side = model_panel(params, mixture.share, mixture.rate, counts, o.layout);
        io::write_layout(output.temp_path(), o.out.string(), model_side, data_side, o.layout,
                         {o.params.string(), o.data.string(), std::string(name_of(params.variant)), describe(mixture, params),
                          counts.empty() ? "expected rate" : "events", time_unit, params.beta, params.tau, mixture.rho_tau,
                          cascade_names});
        output.commit();
        const nlohmann::json j = json_of(o, mixture, params, model_side, data_side);
        if (parsed->json) out.print_json(j);
        else out.print(text_of(j));
    });
    return 0;
}

} // namespace

subcommand layout_command() {
    return {help, run, [] {
                 layout_options o;
                 return option_names(describe_options(o));
             }};
}

} // namespace mic::cli
