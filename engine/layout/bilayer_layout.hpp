#pragma once
// The bi-layer picture of the MIC paper's Fig. 8 as numbers: users on a top layer over a layer of
// cascades, both in the same plane coordinates (a plotter lifts the user layer).
//
// One panel is built from four inputs — a cascade affinity, user mixtures, a user graph with weights,
// and user–cascade scores — so the fitted-model panel and the raw-data panel are the same code:
//
//   panel        | cascade layer          | user mixture f_u         | user edges        | cross links (per cascade c)
//   model (8c,d) | force layout of Σ+Σᵀ   | f(·|ν̄*_u) at the mean    | w_vu ≥ fraction · | the users with the largest μ_u^c
//                | edges σ_sc ≥ min_sigma | drive (user_mixture.hpp) | max w             |
//   data (8a,b)  | Σ = I: a regular       | empirical shares         | the graph's edges | the users with the most events in c
//                | polygon, no edges      | n_u^c / n_u              | (weight 1)        |
//
// Users sit at the mixture's barycentre of the cascade positions, Σ_c f_u^c x_c (a user of one
// cascade over it, a user shared by two between them), plus a seeded offset of at most `spread` ×
// the smallest distance between two cascades, so that users with the same mixture do not coincide.
// Node sizes are event counts (or the model's expected rates when no data is given). At most
// `max_user_edges` user edges are kept: the heaviest (ties: the edges between the most active users).
#include <cstdint>
#include <span>
#include <vector>

#include "engine/data/event_data.hpp"
#include "engine/model/model_params.hpp"

namespace mic {

struct layout_edge {
    std::int32_t from = 0, to = 0;  // user edges v → u; cascade edges s → c; links cascade c → user u
    double weight = 0;
};

struct bilayer_options {
    double edge_fraction = 0.2;          // model panel: keep w_vu ≥ edge_fraction · max w
    double min_sigma = 0.05;             // draw σ_sc (s ≠ c) from this value
    std::int32_t links_per_cascade = 3;  // cross-layer links per cascade
    std::int64_t max_user_edges = 5000;
    double spread = 0.12;
    std::uint64_t seed = 1;
};

struct layout_panel {
    std::int32_t n_users = 0, n_cascades = 0;
    std::vector<double> cascade_xy, user_xy;       // C×2, U×2
    std::vector<double> mixture;                   // U×C, rows sum to 1
    std::vector<double> cascade_size, user_size;   // C, U
    std::vector<layout_edge> cascade_edges, user_edges, links;
};

// What one panel is made of (see the table above); spans of the sizes in the comments.
struct panel_inputs {
    std::int32_t n_users = 0, n_cascades = 0;
    std::span<const double> sigma;        // C×C: the cascade interaction (the affinity is its symmetric part)
    std::span<const double> mixture;      // U×C
    std::span<const double> user_size;    // U
    std::span<const double> cascade_size; // C
    std::span<const double> link_score;   // U×C: the links of cascade c go to the largest scores of column c
    std::vector<layout_edge> user_edges;  // candidates, already thresholded by the caller
};

layout_panel build_panel(const panel_inputs& in, const bilayer_options& options);

// The fitted-model panel. `counts` (U×C events per user and cascade, e.g. the dataset's) sets the
// node sizes; when empty, the model's expected rates (`rate`) do.
layout_panel model_panel(const model_params& params, std::span<const double> mixture, std::span<const double> rate,
                         std::span<const double> counts, const bilayer_options& options);

// The raw-data panel: the graph's adjacency, Σ = I, the empirical mixtures.
layout_panel data_panel(const csr_graph& graph, std::span<const double> counts, std::int32_t n_cascades,
                        const bilayer_options& options);

// U×C events per user and cascade of a dataset.
std::vector<double> event_counts(const event_table& events, std::int32_t n_users, std::int32_t n_cascades);

} // namespace mic
