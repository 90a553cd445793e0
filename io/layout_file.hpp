#pragma once
// The file of `mic layout` (HDF5): the bi-layer picture of the MIC paper's Fig. 8 as coordinates
// (engine/layout/bilayer_layout.hpp), one group per panel:
//
//   /model/...  the fitted model's panel (always)
//   /data/...   the raw data's panel (when --data was given)
//
// in each panel (U users, C cascades; coordinates in the plane of the cascade layer, within ~[-1, 1]):
//   cascade_xy     float64 C×2     cascade positions (force layout of Σ's symmetric part; Σ = I: a polygon)
//   user_xy        float64 U×2     user positions (barycentre of the mixture + a small seeded offset)
//   user_mixture   float64 U×C     f_u^c, rows sum to 1 (colour a user by it)
//   user_size      float64 U       events of the user (or its expected rate without data)
//   cascade_size   float64 C       events of the cascade (or its expected rate)
//   user_edges     int32   E×2     (v, u): edges v → u of the user layer; user_edge_weight float64 E
//   cascade_edges  int32   K×2     (s, c): σ_sc ≥ min_sigma, s ≠ c; cascade_edge_weight float64 K (σ_sc)
//   links          int32   L×2     (c, u): cross-layer links; link_weight float64 L (μ_u^c, or events)
// root attributes: mic_layout_format = 1, params, data ("" without), model, beta, tau, rho_tau,
// mixture_method (user_mixture.hpp's describe), size_source ("events" or "expected rate"),
// edge_fraction, min_sigma, links_per_cascade, max_user_edges, seed, time_unit.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/layout/bilayer_layout.hpp"

namespace mic::io {

struct layout_source {
    std::string params, data, model, mixture_method, size_source, time_unit;
    double beta = 0, tau = 0, rho_tau = 0;
    std::vector<std::string> cascade_names;  // from --data (empty without it, or when it has none): /names/cascades
};

// Writes `path` (a temporary of io::atomic_output; `display_name` names it in errors).
void write_layout(const std::filesystem::path& path, const std::string& display_name, const layout_panel& model,
                  const std::optional<layout_panel>& data, const bilayer_options& options, const layout_source& source);

} // namespace mic::io
