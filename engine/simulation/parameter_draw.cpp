#include "engine/simulation/parameter_draw.hpp"

#include <string>
#include <utility>

#include "engine/support/random_stream.hpp"
#include "engine/support/error.hpp"

namespace mic {
namespace {
constexpr std::uint64_t parameter_key = 0x9a7a3e7e75000001ULL;  // apart from graph and replica streams
}

model_params draw_parameters(const csr_graph& graph, const parameter_draw& spec, std::uint64_t seed) {
    for (auto [range, name]: {std::pair{spec.mu, "mu"}, std::pair{spec.weight, "weight"}})
        if (!(range.low <= range.high))
            throw input_error(std::string("generated parameters: the ") + name + " range [" + std::to_string(range.low) +
                              ", " + std::to_string(range.high) + "] is empty; give low <= high");
    model_params p = make_uniform_params(spec.variant, spec.beta, spec.tau, spec.n_cascades, graph, 0.0, 0.0);
    if (!spec.sigma.empty()) p.sigma = spec.sigma;
    random_stream rng(seed, parameter_key);
    auto draw = [&rng](uniform_range r) { return r.low + (r.high - r.low) * rng.uniform(); };
    for (double& m: p.mu) m = draw(spec.mu);
    for (double& w: p.weight) w = draw(spec.weight);
    validate(p, "generated parameters");
    return p;
}

} // namespace mic
