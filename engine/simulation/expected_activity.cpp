#include "engine/simulation/expected_activity.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <string>

#include "engine/model/mixing.hpp"
#include "engine/simulation/expectation_flow.hpp"
#include "engine/support/error.hpp"

namespace mic {
namespace {

std::vector<double> effective_sigma(const model_params& p) {
    return learns_sigma(p.variant) ? p.sigma : identity_sigma(p.n_cascades);
}

// Eq. 30 split for Boltzmann mixing: split_u^c = softmax_c(β (B M Σ)_{u,c}), and (Bμ)_u = Σ_c (BM)_{u,c}.
void boltzmann_split(const model_params& p, std::vector<double>& split, std::vector<double>& b_mu) {
    const auto U = std::size_t(p.n_users), C = std::size_t(p.n_cascades);
    const std::vector<double> bm = solve_resolvent(influence_operator(p, p.n_cascades), p.tau, p.mu);
    const event_model model = make_event_model(p);
    split.assign(U * C, 0.0);
    b_mu.assign(U, 0.0);
    std::vector<double> zero(C, 0.0), nu(C), q(C);
    for (std::size_t u = 0; u < U; ++u) {
        for (std::size_t c = 0; c < C; ++c) b_mu[u] += bm[u * C + c];
        // (B M Σ)_u = Σ_s (BM)_{u,s} σ_sc: context_intensities with μ = 0 and drive (BM)_u.
        context_intensities(model, zero.data(), bm.data() + u * C, nu.data());
        log_mixing(model.mixing, model.beta, nu, 0, std::span(split).subspan(u * C, C), q);
    }
}

void require_stable(const model_params& p, const spectral_radius_estimate& r) {
    // The estimate is accurate to ~1e-10 relative: within 1e-9 of 1 counts as 1 (B is then singular).
    if (r.value * p.tau < 1.0 - 1e-9) return;
    std::ostringstream out;
    out.precision(6);
    out << "closed forms: rho(W)*tau = " << r.value * p.tau << " >= 1: the process explodes and has no "
        << "stationary regime; lower the influence weights W or tau";
    throw input_error(out.str());
}

// Operations of one term of the flow: the product with its operator (edges·width, and users·width²
// for Σ's coupling), three vector updates and a fixed overhead (measured: ~3 ns per operation).
double product_work(const model_params& p) {
    const double U = p.n_users, E = double(p.in_source.size()), C = p.n_cascades;
    return mixing_of(p.variant) == mixing_kind::linear ? E * C + U * C * C + 3 * U * C + 20 : E + 4 * U + 20;
}

void require_affordable(const model_params& p, std::span<const double> times) {
    std::size_t counted = 0;
    const double work = expectation_work(p, times, &counted);
    if (work <= max_expectation_work) return;
    const double per_time = double(p.n_users) * p.n_cascades;
    const double reachable = std::max(0.0, (max_expectation_work - per_time * double(times.size())) / product_work(p) * 0.9);
    std::ostringstream out;
    out.precision(3);
    out << "closed forms: " << (times.size() == 1 ? std::string("the time") : "the " + std::to_string(times.size()) + " times up to")
        << " t = " << times.back() << " (" << times.back() / p.tau
        << " tau) " << (times.size() == 1 ? "needs" : "need") << (counted < times.size() ? " more than " : " about ") << work
        << " operations, more than the " << max_expectation_work << " a run may take; ";
    // The limit is the span (one long step) or the number of times (each costs its own products).
    if (reachable > 0 && reachable * p.tau < times.back())
        out << "ask for fewer times, or times up to about t = " << reachable * p.tau;
    else
        out << "ask for fewer times (about " << std::floor(0.9 * max_expectation_work / (work / double(counted)))
            << " at this spacing: a larger step)";
    throw input_error(out.str());
}

} // namespace

double expectation_work(const model_params& p, std::span<const double> times, std::size_t* counted) {
    // Counting a step costs about as much as the products it stands for (its weights), so the count
    // stops once past twice the budget (the value is then a lower bound, already too much), and a
    // step as long as the one before reuses its count (evenly spaced times: one count).
    const double per_product = product_work(p), per_time = double(p.n_users) * p.n_cascades;
    double work = 0, last = 0, last_step = -1, last_products = 0;
    std::size_t k = 0;
    for (; k < times.size() && work <= 2 * max_expectation_work; ++k) {
        const double t = times[k], step = std::max(0.0, t - last);
        if (step != last_step) {
            last_products = expectation_flow::products_needed(last, std::max(last, t), p.tau);
            last_step = step;
        }
        work += last_products * per_product + per_time;
        last = std::max(last, t);
    }
    if (counted) *counted = k;
    return work;
}

std::vector<double> stationary_cascade_intensity(const model_params& p) {
    const auto U = std::size_t(p.n_users), C = std::size_t(p.n_cascades);
    if (mixing_of(p.variant) == mixing_kind::linear)
        return solve_resolvent(influence_operator(p, p.n_cascades, effective_sigma(p)), p.tau, p.mu);
    std::vector<double> split, b_mu;
    boltzmann_split(p, split, b_mu);
    for (std::size_t u = 0; u < U; ++u)
        for (std::size_t c = 0; c < C; ++c) split[u * C + c] *= b_mu[u];
    return split;
}

expected_activity expect_activity(const model_params& p, std::span<const double> times,
                                  const spectral_radius_estimate* radius) {
    expected_activity out;
    out.radius = radius ? *radius : influence_spectral_radius(p);
    out.stability = out.radius.value * p.tau;
    require_stable(p, out.radius);
    require_affordable(p, times);
    const auto U = std::size_t(p.n_users), C = std::size_t(p.n_cascades);
    const bool linear = mixing_of(p.variant) == mixing_kind::linear;
    out.per_cascade_exact = linear;
    out.times.assign(times.begin(), times.end());

    // Linear: the exact U×C flow. Boltzmann: the exact U×1 flow of λ_u and the Eq. 30 split.
    std::vector<double> split, b_mu;
    if (!linear) boltzmann_split(p, split, b_mu);
    std::vector<double> mu_user(U, 0.0);
    for (std::size_t u = 0; u < U; ++u)
        for (double m: p.mu_of(std::int32_t(u))) mu_user[u] += m;
    expectation_flow flow = linear ? expectation_flow(influence_operator(p, p.n_cascades, effective_sigma(p)), p.tau, p.mu)
                                   : expectation_flow(influence_operator(p, 1), p.tau, mu_user);

    // Per-user U×C values of a flow state (linear: as is; Boltzmann: per-user total × split).
    auto per_cascade = [&](std::span<const double> state, std::span<double> sums, std::vector<double>* keep) {
        std::fill(sums.begin(), sums.end(), 0.0);
        for (std::size_t u = 0; u < U; ++u)
            for (std::size_t c = 0; c < C; ++c) {
                const double v = linear ? state[u * C + c] : state[u] * split[u * C + c];
                sums[c] += v;
                if (keep) (*keep)[u * C + c] = v;
            }
    };
    out.stationary.assign(C, 0.0);
    out.stationary_user.assign(U * C, 0.0);
    per_cascade(flow.stationary(), out.stationary, &out.stationary_user);
    for (double v: out.stationary) out.stationary_total += v;

    out.intensity.assign(times.size() * C, 0.0);
    out.count.assign(times.size() * C, 0.0);
    for (std::size_t i = 0; i < times.size(); ++i) {
        flow.advance_to(times[i]);
        auto li = std::span(out.intensity).subspan(i * C, C);
        auto ni = std::span(out.count).subspan(i * C, C);
        per_cascade(flow.intensity(), li, nullptr);
        per_cascade(flow.count(), ni, nullptr);
        double total_l = 0.0, total_n = 0.0;
        for (std::size_t c = 0; c < C; ++c) {
            total_l += li[c];
            total_n += ni[c];
        }
        out.total_intensity.push_back(total_l);
        out.total_count.push_back(total_n);
    }
    return out;
}

} // namespace mic
