// event_block: the event terms of eight events at once against event_terms::from_drive, one at a time.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "engine/likelihood/event_block.hpp"
#include "engine/likelihood/event_terms.hpp"

namespace mic {
namespace {

constexpr std::size_t L = event_block::lanes;
constexpr double minus_infinity = -std::numeric_limits<double>::infinity();

// A row-stochastic Σ with a heavy diagonal (what the fit keeps), or the identity. At C = 1 the only
// row-stochastic Σ is the identity, so there the non-identity Σ is σ = 0.6 (a scaled drive).
std::vector<double> make_sigma(std::size_t C, bool identity, std::mt19937_64& rng) {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    if (C == 1) return {identity ? 1.0 : 0.6};
    std::vector<double> sigma(C * C, 0.0);
    for (std::size_t s = 0; s < C; ++s) {
        if (identity) {
            sigma[s * C + s] = 1.0;
            continue;
        }
        double row = 0;
        for (std::size_t c = 0; c < C; ++c) row += (sigma[s * C + c] = unit(rng) + (s == c ? 2.0 : 0.0));
        for (std::size_t c = 0; c < C; ++c) sigma[s * C + c] /= row;
    }
    return sigma;
}

// Equal up to rounding: the block rounds ν* once per multiply-add where from_drive rounds twice, and
// its exp and log may differ by a few ulp. A change δ ≈ 1e-16·|ν*| in ν* moves φ by about β·δ and
// q = β(e_c − f) by about β²·δ (here |ν*| ≤ 4), so the allowance grows with β and β².
void expect_close(double got, double want, const std::string& what, double allowance = 0) {
    if (want == minus_infinity || got == minus_infinity) {
        EXPECT_EQ(got, want) << what;
        return;
    }
    EXPECT_NEAR(got, want, 1e-13 * (1.0 + std::abs(want)) + allowance) << what;
}

TEST(EventBlock, EqualsFromDriveEventByEventForEveryVariantWidthAndImpossibleEvent) {
    std::mt19937_64 rng(17);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (mixing_kind mixing: {mixing_kind::boltzmann, mixing_kind::linear})
        for (bool identity: {true, false})
            for (std::size_t C: {1u, 3u, 10u, 17u})
                for (double beta: {0.0, 1.0, 250.0})
                    for (std::size_t n = 1; n <= L; ++n) {
                        const auto sigma = make_sigma(C, identity, rng);
                        const auto model = make_event_model(mixing, beta, std::int32_t(C), sigma);
                        std::vector<double> mu(C);
                        for (auto& m: mu) m = 0.2 * unit(rng);
                        // Lane-major drives; event 1 has λ = 0 when μ = 0 (zero drive), and under
                        // linear mixing event 2 has ν*_c = 0 (its cascade's drive and μ are 0).
                        const bool zero_mu = n % 3 == 0;
                        if (zero_mu) std::fill(mu.begin(), mu.end(), 0.0);
                        std::vector<double> drive(C * L), rows(n * C);
                        std::vector<std::int32_t> cascades(n);
                        for (std::size_t j = 0; j < n; ++j) {
                            cascades[j] = std::int32_t(rng() % C);
                            for (std::size_t s = 0; s < C; ++s) rows[j * C + s] = j == 1 && zero_mu ? 0.0 : 3.0 * unit(rng);
                            if (j == 2 && mixing == mixing_kind::linear && identity && zero_mu)
                                rows[j * C + std::size_t(cascades[j])] = 0.0;
                            for (std::size_t s = 0; s < C; ++s) drive[s * L + j] = rows[j * C + s];
                        }
                        for (std::size_t j = n; j < L; ++j)  // lanes past n: anything, even NaN
                            for (std::size_t s = 0; s < C; ++s) drive[s * L + j] = std::nan("");

                        const double term_allowance = 1e-14 * beta, derivative_allowance = 1e-14 * beta * beta * double(C);
                        event_block block(model);
                        std::vector<double> terms(L, 42.0), y(C * L, 42.0), gradient_mu(C * L, 0.0), mu_total(C, 0.0);
                        block.evaluate(mu.data(), drive.data(), cascades.data(), n, terms.data(), gradient_mu.data(), y.data());
                        add_lane_totals(gradient_mu.data(), C, mu_total.data());
                        std::vector<double> value_only(L);
                        block.evaluate(mu.data(), drive.data(), cascades.data(), n, value_only.data(), nullptr, nullptr);

                        event_terms one(model, 0);
                        std::vector<double> want_mu(C, 0.0);
                        for (std::size_t j = 0; j < n; ++j) {
                            std::vector<double> want_y(C, 0.0);
                            const double want = one.from_drive(mu.data(), rows.data() + j * C, cascades[j], want_mu.data(), want_y.data());
                            const std::string where = "C " + std::to_string(C) + ", n " + std::to_string(n) + ", lane " +
                                                      std::to_string(j) + (identity ? ", Σ = I" : "") +
                                                      (mixing == mixing_kind::linear ? ", linear" : ", Boltzmann") +
                                                      ", β " + std::to_string(beta);
                            expect_close(terms[j], want, "term, " + where, term_allowance);
                            expect_close(value_only[j], want, "value-only term, " + where, term_allowance);
                            for (std::size_t s = 0; s < C; ++s)
                                if (want == minus_infinity) EXPECT_EQ(y[s * L + j], 0.0) << "y of an impossible event, " << where;
                                else expect_close(y[s * L + j], want_y[s], "y_" + std::to_string(s) + ", " + where, derivative_allowance);
                        }
                        for (std::size_t j = n; j < L; ++j)
                            for (std::size_t s = 0; s < C; ++s) EXPECT_EQ(y[s * L + j], 0.0) << "lane past n";
                        for (std::size_t s = 0; s < C; ++s) expect_close(mu_total[s], want_mu[s], "dℓ/dμ_" + std::to_string(s), double(n) * derivative_allowance);
                    }
}

TEST(EventBlock, MarksTheImpossibleEventsTheScalarPathMarksAndLeavesTheOthersAsFromDrive) {
    // μ = 0 and a zero drive: λ = 0, the event cannot happen; the others in the block are unaffected.
    // Under linear mixing a zero drive of the event's own cascade (ν*_c = 0) is impossible as well.
    const std::size_t C = 2;
    for (mixing_kind mixing: {mixing_kind::boltzmann, mixing_kind::linear}) {
        const auto model = make_event_model(mixing, 1.0, 2, std::vector<double>{1, 0, 0, 1});
        const std::vector<double> mu{0.0, 0.0};
        std::vector<double> drive(C * L, 0.5);
        drive[0 * L + 3] = drive[1 * L + 3] = 0.0;
        drive[1 * L + 1] = 0.0;  // event 1 is of cascade 1: ν*_1 = 0
        const std::vector<std::int32_t> cascades{0, 1, 0, 1, 0};
        const std::size_t n = cascades.size();
        event_block block(model);
        std::vector<double> terms(L, 42.0), y(C * L, 42.0), gradient_mu(C * L, 0.0);
        block.evaluate(mu.data(), drive.data(), cascades.data(), n, terms.data(), gradient_mu.data(), y.data());
        event_terms one(model, 0);
        for (std::size_t j = 0; j < n; ++j) {
            const std::vector<double> row{drive[0 * L + j], drive[1 * L + j]};
            std::vector<double> want_mu(C, 0.0), want_y(C, 0.0);
            const double want = one.from_drive(mu.data(), row.data(), cascades[j], want_mu.data(), want_y.data());
            const bool impossible = j == 3 || (j == 1 && mixing == mixing_kind::linear);
            EXPECT_EQ(want == minus_infinity, impossible) << "lane " << j;
            EXPECT_EQ(terms[j] == minus_infinity, impossible) << "lane " << j;
            for (std::size_t s = 0; s < C; ++s) {
                if (impossible) {
                    EXPECT_EQ(y[s * L + j], 0.0) << "y of impossible lane " << j;
                    EXPECT_EQ(gradient_mu[s * L + j], 0.0) << "dℓ/dμ of impossible lane " << j;
                } else {
                    EXPECT_DOUBLE_EQ(terms[j], want) << "lane " << j;
                    EXPECT_DOUBLE_EQ(y[s * L + j], want_y[s]) << "lane " << j;
                    EXPECT_DOUBLE_EQ(gradient_mu[s * L + j], want_mu[s]) << "lane " << j;
                }
            }
        }
    }
}

TEST(EventBlock, CountsABoltzmannEventWhoseMixingTermIsMinusInfinityAsImpossible) {
    // Only an absurd θ gets there (a negative drive): C = 3, β = 1e5, Σ = I, μ = 0, X = (1.7e303,
    // −1.8e303, 1.7e303) for an event of cascade 1: λ = 1.6e303 > 0 and top = 1.7e308 are finite, but
    // βν*_1 overflows to −inf, so φ = −inf — from_drive says −inf, and the block must add nothing.
    const std::size_t C = 3;
    const std::vector<double> identity{1, 0, 0, 0, 1, 0, 0, 0, 1};
    const auto model = make_event_model(mixing_kind::boltzmann, 1e5, 3, identity);
    const std::vector<double> mu(C, 0.0), row{1.7e303, -1.8e303, 1.7e303};
    std::vector<double> drive(C * L, 0.5);
    for (std::size_t s = 0; s < C; ++s) drive[s * L + 2] = row[s];
    const std::vector<std::int32_t> cascades{0, 2, 1, 0};
    event_block block(model);
    std::vector<double> terms(L, 42.0), y(C * L, 42.0), gradient_mu(C * L, 0.0);
    block.evaluate(mu.data(), drive.data(), cascades.data(), cascades.size(), terms.data(), gradient_mu.data(), y.data());
    event_terms one(model, 0);
    std::vector<double> want_mu(C, 0.0), want_y(C, 0.0);
    ASSERT_EQ(one.from_drive(mu.data(), row.data(), 1, want_mu.data(), want_y.data()), minus_infinity);
    EXPECT_EQ(terms[2], minus_infinity);
    for (std::size_t s = 0; s < C; ++s) {
        EXPECT_EQ(y[s * L + 2], 0.0);
        EXPECT_EQ(gradient_mu[s * L + 2], 0.0);
    }
    for (std::size_t j: {0u, 1u, 3u}) EXPECT_TRUE(std::isfinite(terms[j])) << "lane " << j;
}

TEST(EventBlock, LaneStateIsTheStateOfTheScalarMixingAtThatEvent) {
    // λ, ν*, f and q of each lane against context_intensities and log_mixing on that event alone.
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (mixing_kind mixing: {mixing_kind::boltzmann, mixing_kind::linear})
        for (std::size_t C: {1u, 4u, 11u}) {
            const auto sigma = make_sigma(C, false, rng);
            const auto model = make_event_model(mixing, 2.0, std::int32_t(C), sigma);
            std::vector<double> mu(C), drive(C * L), rows(L * C);
            for (auto& m: mu) m = 0.1 + 0.2 * unit(rng);
            std::vector<std::int32_t> cascades(L);
            for (std::size_t j = 0; j < L; ++j) {
                cascades[j] = std::int32_t(rng() % C);
                for (std::size_t s = 0; s < C; ++s) drive[s * L + j] = rows[j * C + s] = 3.0 * unit(rng);
            }
            event_block block(model);
            std::vector<double> terms(L), y(C * L), gradient_mu(C * L, 0.0);
            block.evaluate(mu.data(), drive.data(), cascades.data(), L, terms.data(), gradient_mu.data(), y.data());
            for (std::size_t j = 0; j < L; ++j) {
                double lambda = 0;
                std::vector<double> nu(C), f(C), q(C);
                block.lane_state(j, lambda, nu.data(), f.data(), q.data());
                double want_lambda = 0;
                for (std::size_t s = 0; s < C; ++s) want_lambda += mu[s] + rows[j * C + s];
                std::vector<double> want_nu(C), want_f(C), want_q(C);
                context_intensities(model, mu.data(), rows.data() + j * C, want_nu.data());
                log_mixing(mixing, 2.0, want_nu, cascades[j], want_f, want_q);
                const std::string where = "C " + std::to_string(C) + ", lane " + std::to_string(j) +
                                          (mixing == mixing_kind::linear ? ", linear" : ", Boltzmann");
                expect_close(lambda, want_lambda, "λ, " + where);
                for (std::size_t s = 0; s < C; ++s) {
                    expect_close(nu[s], want_nu[s], "ν*, " + where);
                    expect_close(f[s], want_f[s], "f, " + where);
                    expect_close(q[s], want_q[s], "q, " + where);
                }
            }
        }
}

} // namespace
} // namespace mic
